// A started task's outcome arrives through events; its promise must never become an unhandled rejection.
export const background = <T>(p: Promise<T>): void => {
  p.catch(() => {});
};
