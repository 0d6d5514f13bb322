// chat.* (shared/api/chat.ts), the Playground: chat.models, chat.send (task; stop with task.cancel),
// experiment.run (task) and metrics.watch. The cluster link follows the settings service's settings.
import type { chatMethods } from '../../../shared/api/chat.js';
import type { Handlers } from '../dispatch.js';
import type { EngineContext } from '../context.js';
import { ApiException } from '../../../shared/result.js';
import { createClusterLink, type ClusterLink } from '../playground/cluster-link.js';
import { MetricsSampler, Playground } from '../playground/playground.js';

const asError = (e: unknown) =>
  e instanceof ApiException
    ? { code: e.code, message: e.message, ...(e.hint ? { hint: e.hint } : {}) }
    : { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) };

export function createChatHandlers(ctx: Pick<EngineContext, 'paths' | 'env' | 'settings' | 'events' | 'tasks' | 'onDispose'>, link?: ClusterLink): Pick<Handlers, keyof typeof chatMethods> {
  const clusterLink = link ?? createClusterLink({
    target: () => {
      const s = ctx.settings.current();
      return { profile: s.profile, namespace: s.namespace, release: s.release };
    },
    env: ctx.env,
    runDir: ctx.paths.runDir,
  });
  const playground = new Playground({ link: clusterLink, onDelta: (taskId, text) => ctx.events.emit('chat.delta', { taskId, text }) });
  const sampler = new MetricsSampler(clusterLink);
  let metricsTimer: NodeJS.Timeout | undefined;
  const stopMetrics = () => {
    if (metricsTimer) clearInterval(metricsTimer);
    metricsTimer = undefined;
  };
  ctx.onDispose(() => {
    stopMetrics();
    clusterLink.close();
  });

  return {
    'chat.models': () => playground.models(),
    'chat.send': (req) => {
      const { taskId, signal } = ctx.tasks.start('chat', { id: req.taskId });
      const requestId = taskId;
      playground
        .send(taskId, req, signal)
        .then((reply) => ctx.events.emit('chat.done', { taskId, reply }))
        .catch((e: unknown) => ctx.events.emit('chat.done', { taskId, error: asError(e) }))
        .finally(() => ctx.tasks.done(taskId));
      return { taskId, requestId };
    },
    'experiment.run': (req) => {
      const { taskId, signal } = ctx.tasks.start('experiment', { id: req.taskId });
      playground
        .experiment(taskId, req, signal, (done, total) => ctx.events.emit('experiment.progress', { taskId, done, total }))
        .then((result) => ctx.events.emit('experiment.done', { taskId, result }))
        .catch((e: unknown) => ctx.events.emit('experiment.done', { taskId, error: asError(e) }))
        .finally(() => ctx.tasks.done(taskId));
      return { taskId };
    },
    'metrics.watch': ({ active, intervalMs }) => {
      stopMetrics();
      if (active) {
        let busy = false;
        const tick = () => {
          if (busy) return; // a slow scrape must not pile up
          busy = true;
          sampler
            .sample()
            .then((samples) => ctx.events.emit('metrics.sample', { samples }))
            .catch(() => ctx.events.emit('metrics.sample', { samples: [] }))
            .finally(() => (busy = false));
        };
        tick();
        metricsTimer = setInterval(tick, intervalMs ?? 2000);
      }
      return { active };
    },
  };
}
