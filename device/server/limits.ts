/**
 * Every bound the kiosk's HTTP and WebSocket edge puts on a client, in one place with the reason
 * for each. The only legitimate client is the kiosk's own Chromium on loopback (one page, one
 * stream); everything else that reaches the port is a stranger and gets little time and room.
 */
export const EDGE_LIMITS = {
  /** The largest legitimate body is an intent with a NOP and an NPWPD (under 200 bytes). */
  bodyBytes: 16 * 1024,
  /** Whole request, headers and body: a legitimate one takes milliseconds on loopback. */
  requestTimeoutMs: 10_000,
  /** Headers must be complete this soon; stops a client trickling one header byte at a time. */
  headersTimeoutMs: 5_000,
  /**
   * The staff LAN listener's TLS handshake must be done this soon: on an office LAN it takes
   * milliseconds, and until it is done no HTTP deadline applies (Node's default is 120 s).
   */
  tlsHandshakeTimeoutMs: 5_000,
  /**
   * Open connections one address may hold on the staff LAN listener: a browser opens up to six
   * to one host; the rest of maxConnections stays for other staff PCs.
   */
  maxConnectionsPerAddress: 10,
  /** An idle keep-alive connection is closed after this; Chromium reconnects at no cost. */
  keepAliveTimeoutMs: 5_000,
  /** A socket with no traffic at all is closed after this (an open WebSocket pings below it). */
  connectionIdleTimeoutMs: 60_000,
  /**
   * Open TCP connections at once. The kiosk page needs a handful (page, bundle, stream, intents,
   * a reload overlapping the old page); the rest of the budget absorbs a burst without letting a
   * stranger hold every file descriptor of a small board.
   */
  maxConnections: 64,
  /** WebSocket streams at once: the kiosk page and a reload of it, with room for the staff view. */
  maxStreamClients: 4,
  /** The stream is one-way (views out): any message from a client is refused; keep it small. */
  streamMessageBytes: 1024,
  /** Server pings on the stream this often so a vanished client is noticed and dropped. */
  streamPingMs: 30_000,
} as const;
