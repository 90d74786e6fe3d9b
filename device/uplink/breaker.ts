/**
 * Circuit breaker for the uplink. Consecutive transport failures open it; while open the
 * validator answers `unavailable` at once and spends no quota. Only a TLS handshake probe
 * (no HTTP request, no hit) moves it to half-open; the next real request then closes it on
 * success or opens it again on failure. Pure state, no timers: the caller decides when to probe.
 */
export type BreakerState = 'closed' | 'open' | 'halfOpen';

export class CircuitBreaker {
  private current: BreakerState = 'closed';
  private consecutiveFailures = 0;

  constructor(
    private readonly failureThreshold: number,
    private readonly onChange: (from: BreakerState, to: BreakerState) => void = () => {},
  ) {
    if (!Number.isInteger(failureThreshold) || failureThreshold < 1) throw new RangeError('failureThreshold must be a positive integer');
  }

  state(): BreakerState {
    return this.current;
  }

  allowsRequest(): boolean {
    return this.current !== 'open';
  }

  recordSuccess(): void {
    this.consecutiveFailures = 0;
    this.move('closed');
  }

  recordFailure(): void {
    this.consecutiveFailures += 1;
    if (this.current === 'halfOpen' || this.consecutiveFailures >= this.failureThreshold) this.move('open');
  }

  recordProbe(handshakeSucceeded: boolean): void {
    if (this.current !== 'open') return;
    if (handshakeSucceeded) this.move('halfOpen');
  }

  private move(to: BreakerState): void {
    if (to === this.current) return;
    const from = this.current;
    this.current = to;
    this.onChange(from, to);
  }
}
