import * as assert from "assert";
import { azureMysqlSecure } from "../../../policies/rules";
import { changed, findings, resource } from "../harness";

const requireTls = resource("azure-native:dbformysql:Configuration", "require-tls", { configurationName: "require_secure_transport", value: "ON", source: "user-override", serverName: "emergency-mysql" });
const tlsVersion = resource("azure-native:dbformysql:Configuration", "tls-version", { configurationName: "tls_version", value: "TLSv1.2,TLSv1.3", serverName: "emergency-mysql" });
const office = resource("azure-native:dbformysql:FirewallRule", "office", { startIpAddress: "203.0.113.0", endIpAddress: "203.0.113.255", serverName: "emergency-mysql" });

describe("policy azure-mysql-secure", () => {
    it("accepts TLS required, TLS 1.2+, and a /24 firewall rule", async () => {
        assert.deepStrictEqual(await findings(azureMysqlSecure, [requireTls, tlsVersion, office]), []);
    });

    it("reports require_secure_transport turned off", async () => {
        assert.deepStrictEqual(await findings(azureMysqlSecure, [changed(requireTls, { value: "OFF" })]), [
            "require-tls: turns require_secure_transport OFF, so clients may connect without TLS",
        ]);
    });

    it("reports TLS 1.0 and 1.1 allowed", async () => {
        assert.deepStrictEqual(await findings(azureMysqlSecure, [changed(tlsVersion, { value: "TLSv1,TLSv1.1,TLSv1.2" })]), [
            'tls-version: allows tlsv1, tlsv1.1 (tls_version "TLSv1,TLSv1.1,TLSv1.2"): allow TLSv1.2 and later only',
        ]);
    });

    it("reports a rule open to the whole internet", async () => {
        assert.deepStrictEqual(await findings(azureMysqlSecure, [changed(office, { startIpAddress: "0.0.0.0", endIpAddress: "255.255.255.255" })]), [
            "office: admits the whole internet (0.0.0.0-255.255.255.255)",
        ]);
    });

    it("reports the allow-all-Azure-services rule", async () => {
        assert.deepStrictEqual(await findings(azureMysqlSecure, [changed(office, { startIpAddress: "0.0.0.0", endIpAddress: "0.0.0.0" })]), [
            "office: admits every Azure service of every customer (0.0.0.0-0.0.0.0)",
        ]);
    });

    it("reports a range wider than the configured size", async () => {
        assert.deepStrictEqual(await findings(azureMysqlSecure, [changed(office, { endIpAddress: "203.0.114.255" })]), [
            "office: admits 512 addresses (203.0.113.0-203.0.114.255); at most 256 are allowed per rule",
        ]);
        assert.deepStrictEqual(await findings(azureMysqlSecure, [office], { maxAddressesPerRule: 16 }), [
            "office: admits 256 addresses (203.0.113.0-203.0.113.255); at most 16 are allowed per rule",
        ]);
    });
});
