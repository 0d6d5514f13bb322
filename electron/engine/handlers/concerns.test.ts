// One handler module per shared/api/<concern>.ts, named after it, implementing exactly the methods that
// concern declares (docs/architecture.md §2): a method found in the contract is found in its handler.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { appMethods } from '../../../shared/api/app.js';
import { bundleMethods } from '../../../shared/api/bundle.js';
import { chatMethods } from '../../../shared/api/chat.js';
import { clusterMethods } from '../../../shared/api/cluster.js';
import { doctorMethods } from '../../../shared/api/doctor.js';
import { engineMethods } from '../../../shared/api/engine.js';
import { hostMethods } from '../../../shared/api/host.js';
import { imagesMethods } from '../../../shared/api/images.js';
import { settingsMethods } from '../../../shared/api/settings.js';
import { stackMethods } from '../../../shared/api/stack.js';
import { taskMethods } from '../../../shared/api/tasks.js';
import { createEngineContext } from '../context.js';
import { createServices } from '../services.js';
import { createAppHandlers } from './app.js';
import { createBundleHandlers } from './bundle.js';
import { createChatHandlers } from './chat.js';
import { createClusterHandlers } from './cluster.js';
import { createDoctorHandlers } from './doctor.js';
import { createEngineHandlers } from './engine.js';
import { createHostHandlers } from './host.js';
import { createImagesHandlers } from './images.js';
import { createSettingsHandlers } from './settings.js';
import { createStackHandlers } from './stack.js';
import { createTaskHandlers } from './tasks.js';

const SHARED_API = path.resolve(import.meta.dirname, '../../../shared/api');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'concerns-'));
const { ctx, dispose } = createEngineContext({ dataDir, transport: 'cli', rehearsal: false });
const services = createServices(ctx);
afterAll(async () => { await dispose(); fs.rmSync(dataDir, { recursive: true, force: true }); });

const withoutSettings = Object.keys(engineMethods).filter((m) => !(m in settingsMethods));
const concerns: Record<string, { declared: string[]; handled: () => object }> = {
  app: { declared: Object.keys(appMethods), handled: () => createAppHandlers(ctx) },
  bundle: { declared: Object.keys(bundleMethods), handled: () => createBundleHandlers(ctx, services) },
  chat: { declared: Object.keys(chatMethods), handled: () => createChatHandlers(ctx) },
  cluster: { declared: Object.keys(clusterMethods), handled: () => createClusterHandlers(ctx) },
  doctor: { declared: Object.keys(doctorMethods), handled: () => createDoctorHandlers(ctx, services) },
  engine: { declared: withoutSettings, handled: () => createEngineHandlers(ctx, services) },
  host: { declared: Object.keys(hostMethods), handled: () => createHostHandlers(ctx) },
  images: { declared: Object.keys(imagesMethods), handled: () => createImagesHandlers(ctx, services) },
  settings: { declared: Object.keys(settingsMethods), handled: () => createSettingsHandlers(ctx) },
  stack: { declared: Object.keys(stackMethods), handled: () => createStackHandlers(ctx) },
  tasks: { declared: Object.keys(taskMethods), handled: () => createTaskHandlers(ctx) },
};

describe('handler modules follow the contract’s concerns', () => {
  it('every shared/api concern has a handler module of the same name', () => {
    const files = fs.readdirSync(SHARED_API).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).map((f) => f.replace(/\.ts$/, '')).sort();
    expect(files).toEqual(Object.keys(concerns).sort());
    for (const name of files) expect(fs.existsSync(path.join(import.meta.dirname, `${name}.ts`)), name).toBe(true);
  });

  it.each(Object.entries(concerns))('handlers/%s.ts implements exactly the methods shared/api declares there', (_name, c) => {
    expect(Object.keys(c.handled()).sort()).toEqual([...c.declared].sort());
  });
});
