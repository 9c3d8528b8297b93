// A backup schedule as the API answers it: the server's store rows and the schedules card's
// table share this one shape (it sits in ui/ because pages import only from their own folder).

/** A schedule row as stored and answered. */
export interface ScheduleRow {
  id: number;
  account_id: number | null;
  frequency: 'daily' | 'weekly';
  weekday: number | null;
  time: string;
  target: string;
  keep_count: number;
  keep_days: number;
  enabled: boolean;
  created_by: number | null;
  created_at: string;
  last_run_at: string | null;
  last_status: 'succeeded' | 'failed' | 'running' | null;
  last_error: string | null;
}
