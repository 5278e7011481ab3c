// Types of rootfs.mjs for its tests.

export interface PythonRuntime {
  python: string;
  executable: string;
  prefix: string;
  base_prefix: string;
  path: string[];
  libraries: string[];
  data?: string[];
  opened?: string[];
}

export interface RootfsPlan {
  binds: { path: string; kind: 'dir' | 'file' | 'dev' }[];
  links: { path: string; target: string }[];
}

/** The sandbox root's content for `python` plus the `helpers` programs: read-only binds and symlinks. */
export function rootfsPlan(python: PythonRuntime, helpers: string[]): RootfsPlan;
