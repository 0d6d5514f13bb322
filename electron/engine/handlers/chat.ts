// chat.* (shared/api/chat.ts), the Playground: chat.models, chat.send (task; stop with task.cancel),
// experiment.run (task) and metrics.watch. The cluster link follows the settings service's settings.
import type { ChatReply, ExperimentResult, chatMethods } from '../../../shared/api/chat.js';
import type { Handlers } from '../dispatch.js';
import type { EngineContext } from '../context.js';
import { ApiException } from '../../../shared/result.js';
import { createClusterLink, type ClusterLink } from '../playground/cluster-link.js';
import { MetricsSampler, Playground } from '../playground/playground.js';
import type { ResultOf } from '../task-registry.js';
import { taskTitles } from '../task-titles.js';

const asError = (e: unknown) =>
  e instanceof ApiException
    ? { code: e.code, message: e.message, ...(e.hint ? { hint: e.hint } : {}) }
    : { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) };

/** What the lifecycle says of a reply: who answered (when attribution knew), how much, and why it ended. */
const chatResult = (reply: ChatReply): ResultOf<'chat'> => ({
  stopped: reply.stopped,
  ...(reply.attribution.known ? { replica: reply.attribution.pod } : {}),
  ...(reply.usage ? { completionTokens: reply.usage.completionTokens } : {}),
  ...(reply.finishReason ? { finishReason: reply.finishReason } : {}),
});

/** An experiment's counts over both arms; the tables stay on experiment.done. */
const experimentSummary = (r: ExperimentResult): NonNullable<ResultOf<'experiment'>['summary']> => ({
  replicas: r.replicas,
  requests: r.shared.total + r.distinct.total,
  failed: r.shared.failed + r.distinct.failed,
  unattributed: r.shared.unattributed + r.distinct.unattributed,
});

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
      const task = ctx.tasks.start('chat', { id: req.taskId, title: taskTitles.chat(req.model) });
      const { taskId, signal } = task;
      const requestId = taskId;
      playground
        .send(taskId, req, signal)
        .then((reply) => {
          // The content event first: a listener that acts on the task's end finds the reply already in place.
          ctx.events.emit('chat.done', { taskId, reply });
          task.finish(reply.stopped ? 'cancelled' : reply.error ? 'failed' : 'succeeded', chatResult(reply), reply.error);
        })
        .catch((e: unknown) => {
          const error = asError(e);
          ctx.events.emit('chat.done', { taskId, error });
          task.finish(signal.aborted ? 'cancelled' : 'failed', { stopped: signal.aborted }, error.message);
        });
      return { taskId, requestId };
    },
    'experiment.run': (req) => {
      const task = ctx.tasks.start('experiment', { id: req.taskId, title: taskTitles.experiment(req.requests) });
      const { taskId, signal } = task;
      playground
        .experiment(taskId, req, signal, (done, total) => {
          ctx.events.emit('experiment.progress', { taskId, done, total });
          task.progress(total > 0 ? done / total : undefined);
        })
        .then((result) => {
          ctx.events.emit('experiment.done', { taskId, result });
          task.finish('succeeded', { summary: experimentSummary(result) });
        })
        .catch((e: unknown) => {
          const error = asError(e);
          ctx.events.emit('experiment.done', { taskId, error });
          task.finish(signal.aborted ? 'cancelled' : 'failed', {}, error.message);
        });
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
