import { Hono } from 'hono';
import type { AppEnv } from '../context';

/** `client.files` (being built: see issue 4). */
export const filesRoutes = new Hono<AppEnv>();
