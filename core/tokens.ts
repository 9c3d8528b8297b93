/** DI tokens of the kernel's services (tsyringe). Every constructor parameter uses `@inject(token)`. */
export const Tokens = {
  Config: Symbol.for('velopanel.config'),
  Logger: Symbol.for('velopanel.logger'),
  Database: Symbol.for('velopanel.database'),
  Http: Symbol.for('velopanel.http'),
  Hooks: Symbol.for('velopanel.hooks'),
  Jobs: Symbol.for('velopanel.jobs'),
  Scheduler: Symbol.for('velopanel.scheduler'),
  Exec: Symbol.for('velopanel.exec'),
  Plugins: Symbol.for('velopanel.plugins'),
  Extensions: Symbol.for('velopanel.extensions'),
  Services: Symbol.for('velopanel.services'),
  Licence: Symbol.for('velopanel.licence'),
  Users: Symbol.for('velopanel.users'),
  PluginId: Symbol.for('velopanel.plugin-id'),
} as const;
