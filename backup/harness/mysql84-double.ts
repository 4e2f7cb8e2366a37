import { createHash, generateKeyPairSync, privateDecrypt, constants as cryptoConstants, randomBytes, KeyObject } from "node:crypto";
import { AddressInfo, Server, Socket, createServer } from "node:net";
import { Duplex } from "node:stream";
import { TLSSocket } from "node:tls";

/** How the double presents itself and who may log in. */
export interface Mysql84DoubleOptions {
  user: string;
  password: string;
  /** Version reported in the handshake and by `SELECT VERSION()`. */
  version?: string;
  /** PEM key and certificate: when given the double offers TLS, as every RDS and Azure server does. */
  tls?: { key: string; cert: string };
  /** Refuse connections without TLS, as RDS with `require_secure_transport=1` and Azure MySQL do. */
  requireSecureTransport?: boolean;
}

/** A binlog file as `SHOW BINARY LOGS` lists it. */
export interface DoubleBinlog {
  name: string;
  size: number;
}

const CAPABILITIES = {
  LONG_PASSWORD: 0x1,
  FOUND_ROWS: 0x2,
  LONG_FLAG: 0x4,
  CONNECT_WITH_DB: 0x8,
  PROTOCOL_41: 0x200,
  SSL: 0x800,
  TRANSACTIONS: 0x2000,
  SECURE_CONNECTION: 0x8000,
  MULTI_RESULTS: 0x20000,
  PLUGIN_AUTH: 0x80000,
  CONNECT_ATTRS: 0x100000,
  PLUGIN_AUTH_LENENC_CLIENT_DATA: 0x200000,
};
const COM_QUIT = 0x01;
const COM_INIT_DB = 0x02;
const COM_QUERY = 0x03;
const COM_PING = 0x0e;
const SERVER_STATUS_AUTOCOMMIT = 0x0002;
const UTF8MB4_0900_AI_CI = 255;
const BINARY_CHARSET = 63;
const TYPE_LONGLONG = 0x08;
const TYPE_VAR_STRING = 0xfd;
const FLAG_NOT_NULL = 0x1;
const FLAG_UNSIGNED = 0x20;
const PLUGIN = "caching_sha2_password";

/**
 * Statements MySQL 8.4.0 removed (release notes, "SQL statements removed"): the server's parser no
 * longer knows them, so it answers ER_PARSE_ERROR pointing at the word where parsing stopped.
 */
const REMOVED = [
  /^(SHOW\s+)(MASTER\s+STATUS)$/i,
  /^(SHOW\s+)(MASTER\s+LOGS)$/i,
  /^(SHOW\s+)(SLAVE\s+(?:STATUS|HOSTS).*)$/i,
  /^(RESET\s+)(MASTER.*)$/i,
  /^(RESET\s+)(SLAVE.*)$/i,
  /^((?:START|STOP)\s+)(SLAVE.*)$/i,
  /^(CHANGE\s+)(MASTER\s+TO.*)$/i,
  /^(PURGE\s+)(MASTER\s+LOGS.*)$/i,
];

interface Column {
  name: string;
  numeric?: boolean;
}

type Reply = { rows: Array<Array<string | number | null>>; columns: Column[] } | { error: number; state: string; message: string };

/**
 * A MySQL 8.4 server at the protocol level, for the statements the backup agent sends. It speaks
 * the real wire protocol (handshake v10 as `8.4.x`, TLS on request, `caching_sha2_password` with
 * fast and full authentication, text result sets) so mysql2 cannot tell it from a server.
 * Written on node:net rather than mysql2's `createServer()`: that one (3.x) always offers
 * `mysql_native_password`, which 8.4 disables by default, and cannot answer a TLS request.
 * Binlog state is set by the test (`binlogs`, `advance`); it does not stream binlogs.
 */
export class Mysql84Double {
  /** Every statement received, in order, as sent. */
  readonly statements: string[] = [];
  /** Binlog files, oldest first; the last one is the current file. */
  binlogs: DoubleBinlog[] = [{ name: "binlog.000001", size: 158 }];
  /** `Executed_Gtid_Set` reported with the binlog status. */
  executedGtidSet = "";
  /** Connections that completed authentication: TLS or not, and caching_sha2_password's full or fast path. */
  readonly sessions: Array<{ user: string; tls: boolean; auth: "full" | "fast" }> = [];
  private readonly server: Server;
  private readonly rsa: { publicPem: string; privateKey: KeyObject };
  /** Users whose full authentication succeeded, so the next login may use the fast path (as the real cache). */
  private readonly authCache = new Set<string>();
  private readonly sockets = new Set<Socket>();
  private nextConnectionId = 10;

  private constructor(readonly options: Mysql84DoubleOptions) {
    const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    this.rsa = { publicPem: publicKey.export({ type: "spki", format: "pem" }).toString(), privateKey };
    this.server = createServer((socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
      socket.on("error", () => undefined);
      void this.serve(socket).catch(() => socket.destroy());
    });
  }

  /** Starts listening on 127.0.0.1 at a free port. */
  static async start(options: Mysql84DoubleOptions): Promise<Mysql84Double> {
    const double = new Mysql84Double(options);
    await new Promise<void>((resolve, reject) => {
      double.server.once("error", reject);
      double.server.listen(0, "127.0.0.1", () => resolve());
    });
    return double;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get version(): string {
    return this.options.version ?? "8.4.3";
  }

  /** Appends `bytes` to the current binlog file (as committed writes would). */
  advance(bytes: number): void {
    this.binlogs[this.binlogs.length - 1].size += bytes;
  }

  /** Starts a new binlog file (as FLUSH BINARY LOGS or a size rotation would). */
  rotate(): void {
    const current = this.binlogs[this.binlogs.length - 1].name;
    const [base, number] = current.split(".");
    this.binlogs.push({ name: `${base}.${String(Number(number) + 1).padStart(number.length, "0")}`, size: 158 });
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async serve(raw: Socket): Promise<void> {
    let wire = new PacketWire(raw);
    const nonce = Buffer.from(randomBytes(20).map((byte) => (byte & 0x7f) || 1));
    const connectionId = this.nextConnectionId++;
    let capabilities =
      CAPABILITIES.LONG_PASSWORD | CAPABILITIES.FOUND_ROWS | CAPABILITIES.LONG_FLAG | CAPABILITIES.CONNECT_WITH_DB |
      CAPABILITIES.PROTOCOL_41 | CAPABILITIES.TRANSACTIONS | CAPABILITIES.SECURE_CONNECTION | CAPABILITIES.MULTI_RESULTS |
      CAPABILITIES.PLUGIN_AUTH | CAPABILITIES.CONNECT_ATTRS | CAPABILITIES.PLUGIN_AUTH_LENENC_CLIENT_DATA;
    if (this.options.tls) capabilities |= CAPABILITIES.SSL;
    wire.send(0, handshakePacket(this.version, connectionId, nonce, capabilities));

    let { seq, payload } = await wire.read();
    let tls = false;
    if (payload.length === 32 && payload.readUInt32LE(0) & CAPABILITIES.SSL && this.options.tls) {
      const secure = new TLSSocket(upgradable(raw, wire.rest()), { isServer: true, key: this.options.tls.key, cert: this.options.tls.cert });
      secure.on("error", () => raw.destroy());
      wire = new PacketWire(secure);
      tls = true;
      ({ seq, payload } = await wire.read());
    }
    const response = parseHandshakeResponse(payload);
    if (this.options.requireSecureTransport && !tls) {
      wire.send(seq + 1, errorPacket(3159, "HY000", "Connections using insecure transport are prohibited while --require_secure_transport=ON."));
      wire.end();
      return;
    }
    const denied = errorPacket(1045, "28000", `Access denied for user '${response.user}'@'${raw.remoteAddress ?? "localhost"}' (using password: ${this.options.password ? "YES" : "NO"})`);
    const { seq: authSeq, auth } = await this.authenticate(wire, seq, response, nonce, tls);
    seq = authSeq;
    if (!auth) {
      wire.send(seq + 1, denied);
      wire.end();
      return;
    }
    wire.send(seq + 1, okPacket());
    this.sessions.push({ user: response.user, tls, auth });

    for (;;) {
      const command = await wire.read().catch(() => undefined);
      if (!command || command.payload[0] === COM_QUIT) {
        wire.end();
        return;
      }
      const code = command.payload[0];
      if (code === COM_PING || code === COM_INIT_DB) {
        wire.send(1, okPacket());
      } else if (code === COM_QUERY) {
        const sql = command.payload.subarray(1).toString("utf8");
        this.statements.push(sql);
        const reply = this.answer(sql);
        if ("error" in reply) wire.send(1, errorPacket(reply.error, reply.state, reply.message));
        else writeResultSet(wire, reply.columns, reply.rows);
      } else {
        wire.send(1, errorPacket(1047, "08S01", "Unknown command"));
      }
    }
  }

  /**
   * caching_sha2_password as 8.4 runs it: a client that chose another method is switched; the
   * scramble is checked; the first login of a user is a full authentication (password in clear
   * over TLS, RSA-encrypted without), later ones take the fast path. Returns the last sequence
   * number used and the path taken, no path when access is denied (the caller answers 1045).
   */
  private async authenticate(wire: PacketWire, lastSeq: number, response: HandshakeResponse, nonce: Buffer, tls: boolean): Promise<{ seq: number; auth?: "full" | "fast" }> {
    let seq = lastSeq;
    let token = response.authResponse;
    if (response.plugin !== PLUGIN) {
      seq += 1;
      wire.send(seq, Buffer.concat([Buffer.from([0xfe]), Buffer.from(`${PLUGIN}\0`), nonce, Buffer.from([0])]));
      ({ seq, payload: token } = await wire.read());
    }
    if (response.user !== this.options.user || !token.equals(scrambleToken(this.options.password, nonce))) return { seq };
    if (this.authCache.has(response.user)) {
      wire.send(seq + 1, Buffer.from([0x01, 0x03]));
      return { seq: seq + 1, auth: "fast" };
    }
    wire.send(seq + 1, Buffer.from([0x01, 0x04]));
    let reply = await wire.read();
    let password: string;
    if (tls) {
      password = reply.payload.toString("utf8").replace(/\0$/, "");
    } else {
      if (!reply.payload.equals(Buffer.from([0x02]))) return { seq: reply.seq };
      wire.send(reply.seq + 1, Buffer.concat([Buffer.from([0x01]), Buffer.from(this.rsa.publicPem)]));
      reply = await wire.read();
      const decrypted = privateDecrypt({ key: this.rsa.privateKey, oaepHash: "sha1", padding: cryptoConstants.RSA_PKCS1_OAEP_PADDING }, reply.payload);
      password = Buffer.from(decrypted.map((byte, i) => byte ^ nonce[i % nonce.length])).toString("utf8").replace(/\0$/, "");
    }
    if (password !== this.options.password) return { seq: reply.seq };
    this.authCache.add(response.user);
    return { seq: reply.seq, auth: "full" };
  }

  private answer(sql: string): Reply {
    const text = sql.trim().replace(/;\s*$/, "").replace(/\s+/g, " ");
    for (const pattern of REMOVED) {
      const match = pattern.exec(text);
      if (match) return parseError(text.slice(match[1].length));
    }
    const version = /^SELECT VERSION\(\)(?: AS `?(\w+)`?)?$/i.exec(text);
    if (version) return { columns: [{ name: version[1] ?? "VERSION()" }], rows: [[this.version]] };
    if (/^SELECT 1$/i.test(text)) return { columns: [{ name: "1", numeric: true }], rows: [[1]] };
    if (/^SHOW BINARY LOG STATUS$/i.test(text)) {
      const current = this.binlogs[this.binlogs.length - 1];
      return {
        columns: [{ name: "File" }, { name: "Position", numeric: true }, { name: "Binlog_Do_DB" }, { name: "Binlog_Ignore_DB" }, { name: "Executed_Gtid_Set" }],
        rows: [[current.name, current.size, "", "", this.executedGtidSet]],
      };
    }
    if (/^SHOW BINARY LOGS$/i.test(text)) {
      return { columns: [{ name: "Log_name" }, { name: "File_size", numeric: true }, { name: "Encrypted" }], rows: this.binlogs.map((file) => [file.name, file.size, "No"]) };
    }
    return { error: 1105, state: "HY000", message: `the MySQL 8.4 test double does not emulate: ${sql}` };
  }
}

/** MySQL's ER_PARSE_ERROR text: the rest of the statement from where the parser gave up. */
function parseError(near: string): Reply {
  return { error: 1064, state: "42000", message: `You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near '${near}' at line 1` };
}

/** The caching_sha2_password scramble: SHA256(pw) XOR SHA256(SHA256(SHA256(pw)) + nonce). */
function scrambleToken(password: string, nonce: Buffer): Buffer {
  if (!password) return Buffer.alloc(0);
  const sha256 = (data: Buffer) => createHash("sha256").update(data).digest();
  const stage1 = sha256(Buffer.from(password, "utf8"));
  const stage3 = sha256(Buffer.concat([sha256(stage1), nonce]));
  return Buffer.from(stage1.map((byte, i) => byte ^ stage3[i]));
}

function lenenc(value: number): Buffer {
  if (value < 251) return Buffer.from([value]);
  if (value < 0x10000) return Buffer.from([0xfc, value & 0xff, value >> 8]);
  const buffer = Buffer.alloc(9);
  buffer[0] = 0xfe;
  buffer.writeBigUInt64LE(BigInt(value), 1);
  return buffer;
}

function lenencString(text: string): Buffer {
  const bytes = Buffer.from(text, "utf8");
  return Buffer.concat([lenenc(bytes.length), bytes]);
}

function handshakePacket(version: string, connectionId: number, nonce: Buffer, capabilities: number): Buffer {
  const head = Buffer.alloc(4 + 8 + 1 + 2 + 1 + 2 + 2 + 1 + 10);
  let at = head.writeUInt32LE(connectionId, 0);
  nonce.copy(head, at, 0, 8);
  at += 8;
  at = head.writeUInt8(0, at);
  at = head.writeUInt16LE(capabilities & 0xffff, at);
  at = head.writeUInt8(UTF8MB4_0900_AI_CI, at);
  at = head.writeUInt16LE(SERVER_STATUS_AUTOCOMMIT, at);
  at = head.writeUInt16LE(capabilities >>> 16, at);
  head.writeUInt8(21, at);
  return Buffer.concat([Buffer.from([10]), Buffer.from(`${version}\0`), head, nonce.subarray(8), Buffer.from([0]), Buffer.from(`${PLUGIN}\0`)]);
}

interface HandshakeResponse {
  user: string;
  authResponse: Buffer;
  plugin: string;
}

function parseHandshakeResponse(payload: Buffer): HandshakeResponse {
  const flags = payload.readUInt32LE(0);
  let at = 32;
  const userEnd = payload.indexOf(0, at);
  const user = payload.subarray(at, userEnd).toString("utf8");
  at = userEnd + 1;
  let length: number;
  if (flags & CAPABILITIES.PLUGIN_AUTH_LENENC_CLIENT_DATA) {
    const first = payload[at];
    if (first < 251) {
      length = first;
      at += 1;
    } else {
      length = payload.readUInt16LE(at + 1);
      at += 3;
    }
  } else {
    length = payload[at];
    at += 1;
  }
  const authResponse = payload.subarray(at, at + length);
  at += length;
  if (flags & CAPABILITIES.CONNECT_WITH_DB) at = payload.indexOf(0, at) + 1;
  let plugin = "mysql_native_password";
  if (flags & CAPABILITIES.PLUGIN_AUTH && at < payload.length) plugin = payload.subarray(at, payload.indexOf(0, at)).toString("latin1");
  return { user, authResponse: Buffer.from(authResponse), plugin };
}

function okPacket(): Buffer {
  return Buffer.from([0x00, 0, 0, SERVER_STATUS_AUTOCOMMIT, 0, 0, 0]);
}

function eofPacket(): Buffer {
  return Buffer.from([0xfe, 0, 0, SERVER_STATUS_AUTOCOMMIT, 0]);
}

function errorPacket(code: number, state: string, message: string): Buffer {
  const head = Buffer.alloc(3);
  head[0] = 0xff;
  head.writeUInt16LE(code, 1);
  return Buffer.concat([head, Buffer.from(`#${state}`), Buffer.from(message, "utf8")]);
}

function columnDefinition(column: Column): Buffer {
  const tail = Buffer.alloc(1 + 2 + 4 + 1 + 2 + 1 + 2);
  let at = tail.writeUInt8(0x0c, 0);
  at = tail.writeUInt16LE(column.numeric ? BINARY_CHARSET : UTF8MB4_0900_AI_CI, at);
  at = tail.writeUInt32LE(column.numeric ? 20 : 1024, at);
  at = tail.writeUInt8(column.numeric ? TYPE_LONGLONG : TYPE_VAR_STRING, at);
  tail.writeUInt16LE(column.numeric ? FLAG_NOT_NULL | FLAG_UNSIGNED : FLAG_NOT_NULL, at);
  return Buffer.concat([lenencString("def"), lenencString(""), lenencString(""), lenencString(""), lenencString(column.name), lenencString(column.name), tail]);
}

function writeResultSet(wire: PacketWire, columns: Column[], rows: Array<Array<string | number | null>>): void {
  let seq = 1;
  wire.send(seq++, lenenc(columns.length));
  for (const column of columns) wire.send(seq++, columnDefinition(column));
  wire.send(seq++, eofPacket());
  for (const row of rows) wire.send(seq++, Buffer.concat(row.map((value) => (value === null ? Buffer.from([0xfb]) : lenencString(String(value))))));
  wire.send(seq, eofPacket());
}

/**
 * The client may send its TLS hello in the same segment as the SSL request, so the bytes already
 * read are put in front of the socket's further data for the TLS layer.
 */
function upgradable(raw: Socket, alreadyRead: Buffer): Duplex {
  const stream = new Duplex({
    read: () => undefined,
    write: (chunk: Buffer, _encoding, callback) => raw.write(chunk, callback),
    final: (callback) => raw.end(callback),
  });
  if (alreadyRead.length > 0) stream.push(alreadyRead);
  raw.on("data", (chunk: Buffer) => stream.push(chunk));
  raw.on("end", () => stream.push(null));
  raw.on("close", () => stream.destroy());
  return stream;
}

/** MySQL packet framing (3-byte length, 1-byte sequence) over a socket, TLS or not. */
class PacketWire {
  private buffer: Buffer;
  private waiting?: () => void;
  private closed = false;

  constructor(private readonly socket: Duplex) {
    this.buffer = Buffer.alloc(0);
    socket.on("data", (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.waiting?.();
    });
    socket.on("close", () => {
      this.closed = true;
      this.waiting?.();
    });
  }

  /** Bytes read but not yet consumed; handed over when the socket is upgraded to TLS. */
  rest(): Buffer {
    const rest = this.buffer;
    this.buffer = Buffer.alloc(0);
    this.socket.removeAllListeners("data");
    return rest;
  }

  async read(): Promise<{ seq: number; payload: Buffer }> {
    for (;;) {
      if (this.buffer.length >= 4) {
        const length = this.buffer.readUIntLE(0, 3);
        if (this.buffer.length >= 4 + length) {
          const seq = this.buffer[3];
          const payload = this.buffer.subarray(4, 4 + length);
          this.buffer = this.buffer.subarray(4 + length);
          return { seq, payload };
        }
      }
      if (this.closed) throw new Error("connection closed");
      await new Promise<void>((resolve) => (this.waiting = resolve));
      this.waiting = undefined;
    }
  }

  send(seq: number, payload: Buffer): void {
    const head = Buffer.alloc(4);
    head.writeUIntLE(payload.length, 0, 3);
    head[3] = seq & 0xff;
    this.socket.write(Buffer.concat([head, payload]));
  }

  end(): void {
    this.socket.end();
  }
}
