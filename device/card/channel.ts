/**
 * One APDU exchange over a reader channel, with the transport rules a T=0 reader or card may
 * need: 61xx means "more data, ask with GET RESPONSE"; 6Cxx means "wrong Le, re-send with Le xx".
 * Responses longer than the command asked for, or shorter than a status word, are refused.
 */
import { DeviceError, type DeviceErrorCode } from '../domain/failure.ts';
import {
  ApduFormatError,
  concatBytes,
  INS,
  decodeCommand,
  encodeCommand,
  parseResponse,
  type CommandApdu,
  type ResponseApdu,
} from './apdu.ts';

/** A connected reader slot (the card or the SAM). Rejects with DeviceError only. */
export interface ApduChannel {
  /** Sends one APDU; `maxResponseLength` is the receive buffer, SW1 SW2 included. */
  transmit(apdu: Uint8Array, maxResponseLength: number): Promise<Uint8Array>;
}

const MAX_GET_RESPONSE_ROUNDS = 256;

export async function transceive(channel: ApduChannel, cmd: CommandApdu | Uint8Array, malformed: DeviceErrorCode): Promise<ResponseApdu> {
  let c: CommandApdu;
  try {
    c = cmd instanceof Uint8Array ? decodeCommand(cmd) : cmd;
  } catch {
    throw new DeviceError(malformed, 'command APDU is malformed');
  }
  const bad = (why: string) => new DeviceError(malformed, `response ${why}`);
  const send = async (x: CommandApdu): Promise<ResponseApdu> => {
    const raw = await channel.transmit(encodeCommand(x), x.ne + 2);
    try {
      return parseResponse(raw);
    } catch (e) {
      if (e instanceof ApduFormatError) throw bad('shorter than a status word');
      throw e;
    }
  };
  let r = await send(c);
  if (r.sw >> 8 === 0x6c && r.data.length === 0) {
    const ne = r.sw & 0xff || 256;
    if (c.ne === 0 || ne > c.ne) throw bad('asked for a longer Le than the command allows');
    r = await send({ ...c, ne });
  }
  let data = r.data;
  let rounds = 0;
  while (r.sw >> 8 === 0x61) {
    if (++rounds > MAX_GET_RESPONSE_ROUNDS) throw bad('kept announcing more data');
    const ne = r.sw & 0xff || 256;
    r = await send({ cla: c.cla & 0x80 ? 0x00 : c.cla & 0x03, ins: INS.getResponse, p1: 0, p2: 0, data: new Uint8Array(0), ne });
    data = concatBytes(data, r.data);
    if (data.length > Math.max(c.ne, 0)) break;
  }
  if (data.length > c.ne) throw bad('longer than the command asked for');
  return { data, sw: r.sw };
}
