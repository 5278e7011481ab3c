import { Hono } from 'hono';
import type { AppEnv } from '../context';

/** `client.uploads` (being built: see issue 4). */
export const uploadsRoutes = new Hono<AppEnv>();
