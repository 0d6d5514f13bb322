// Every wizard step of docs/architecture.md §1, in order. A step is "available" when a page exists for it in
// pages/index.ts; the rest are shown as upcoming (not clickable) — never faked.
export const STEPS = [
  { id: 'welcome', title: 'Welcome', hint: 'What this app does' },
  { id: 'system-check', title: 'System check', hint: 'Hardware and fit' },
  { id: 'prerequisites', title: 'Prerequisites', hint: 'Tools it needs' },
  { id: 'configure', title: 'Configure', hint: 'Driver, model, replicas' },
  { id: 'plan', title: 'Plan', hint: 'Every change, before it happens' },
  { id: 'install', title: 'Install', hint: 'Steps, logs, progress' },
  { id: 'cluster', title: 'Cluster', hint: 'Pods and readiness' },
  { id: 'playground', title: 'Playground', hint: 'Chat and routing' },
  { id: 'manage', title: 'Manage', hint: 'Monitoring and teardown' },
] as const;

export type StepId = (typeof STEPS)[number]['id'];
export type Step = (typeof STEPS)[number];

export const isStepId = (v: string): v is StepId => STEPS.some((s) => s.id === v);
export const stepIndex = (id: StepId): number => STEPS.findIndex((s) => s.id === id);

/**
 * Pages that are not a step of their own but belong to one: the rail highlights that step while the
 * page is open (the teardown is part of Manage, not of Install).
 */
const SUB_PAGES = { teardown: 'manage' } as const satisfies Record<string, StepId>;

/** Every page the wizard can show (the address bar's #/<id>). */
export type PageId = StepId | keyof typeof SUB_PAGES;

export const isPageId = (v: string): v is PageId => isStepId(v) || Object.hasOwn(SUB_PAGES, v);
/** The rail entry a page belongs to. */
export const railStep = (id: PageId): StepId => (isStepId(id) ? id : SUB_PAGES[id]);
