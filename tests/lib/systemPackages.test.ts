import * as assert from "assert";
import { missingPackages, SYSTEM_PACKAGES } from "../support/systemPackages";

describe("the suite's system packages", () => {
    it("names each Debian package whose programs are missing, and none when all are there", () => {
        assert.deepStrictEqual(missingPackages(() => true), []);
        assert.deepStrictEqual(missingPackages(() => false), SYSTEM_PACKAGES.map(p => p.name));
        assert.deepStrictEqual(missingPackages(program => program !== "systemd-analyze"), ["systemd"]);
        assert.deepStrictEqual(missingPackages(program => program !== "/usr/sbin/mariadbd"), ["mariadb-server"], "a package counts as missing when any of its programs is");
    });
});
