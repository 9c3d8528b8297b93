// rolldown bundles at build time only; an install without dev dependencies has none, and the
// build steps that bundle then leave the compiled files as they are.

/** rolldown's `build`, or null where rolldown is not installed. */
export async function rolldownBuild() {
  try {
    return (await import('rolldown')).build;
  } catch {
    return null;
  }
}
