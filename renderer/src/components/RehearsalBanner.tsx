// Shown on every page in rehearsal mode, so nobody mistakes the simulation for a real install.
export function RehearsalBanner() {
  return (
    <div className="rehearsal" role="note" data-testid="rehearsal-banner">
      <strong>Rehearsal</strong> — simulated cluster, nothing is installed
    </div>
  );
}
