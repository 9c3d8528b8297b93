// pg ships its quoting helpers in lib/utils.js; @types/pg only describes them on the main module.
declare module 'pg/lib/utils.js' {
  const utils: { escapeIdentifier(value: string): string; escapeLiteral(value: string): string };
  export default utils;
}
