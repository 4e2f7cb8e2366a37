import { execFile } from "node:child_process";
import { promises as fs } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

/** A throwaway CA and one server certificate signed by it, as PEM files. */
export interface TestPki {
  /** The CA certificate clients verify against (what DR_MYSQL_SSL_CA / DR_TARGET_SSL_CA name). */
  caFile: string;
  certFile: string;
  keyFile: string;
}

/** Names the harness's server certificates carry: `localhost`, the name the harness connects to, and 127.0.0.1. */
export const LOOPBACK_NAMES = ["DNS:localhost", "IP:127.0.0.1"];

const EC_KEY = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];

async function openssl(args: string[], cwd: string): Promise<void> {
  await execFileAsync("openssl", args, { cwd }).catch((error: NodeJS.ErrnoException & { stderr?: string }) => {
    throw error.code === "ENOENT" ? new Error("openssl not found; install it with: apt-get install -y openssl") : new Error(`openssl ${args[0]} failed: ${error.stderr ?? error.message}`);
  });
}

/**
 * Creates, under `dir`, a CA valid for two days and a server certificate it signs for
 * `subjectAltNames` (openssl syntax, e.g. `DNS:localhost`). Each call makes a new CA, so a
 * certificate from one run never verifies against another run's CA.
 */
export async function createTestPki(dir: string, subjectAltNames: string[] = LOOPBACK_NAMES): Promise<TestPki> {
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const label = `mysql-dr test CA ${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  await openssl(["req", "-x509", ...EC_KEY, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", `/CN=${label}`,
    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"], dir);
  return issueServerCertificate(dir, subjectAltNames, "server");
}

/**
 * Signs another server certificate with the CA in `dir` (made by createTestPki), written to
 * `<name>.pem` / `<name>.key`; e.g. a certificate for another name from the same, trusted CA.
 */
export async function issueServerCertificate(dir: string, subjectAltNames: string[], name: string): Promise<TestPki> {
  const firstName = subjectAltNames[0]?.replace(/^[A-Z]+:/, "") ?? "server";
  await openssl(["req", ...EC_KEY, "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", `/CN=${firstName}`], dir);
  await fs.writeFile(
    join(dir, `${name}.ext`),
    `subjectAltName=${subjectAltNames.join(",")}\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n`,
  );
  await openssl(["x509", "-req", "-in", `${name}.csr`, "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", `${name}.pem`, "-days", "2", "-extfile", `${name}.ext`], dir);
  return { caFile: join(dir, "ca.pem"), certFile: join(dir, `${name}.pem`), keyFile: join(dir, `${name}.key`) };
}
