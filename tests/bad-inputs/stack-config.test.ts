import * as assert from "assert";
import { EXIT, runPlanCli } from "../../plan/cli";

/**
 * The stack-config catalogue of the bad-input suite (issue 12): one row per bad value a tired
 * operator could set with `pulumi config set` or `--set`. Every row must be refused before any
 * resource is declared (exit 2), naming the key and the cause.
 */
interface Row {
    readonly stack: "warm-standby" | "pilot-light";
    readonly set: string[];
    /** The key the message must name, and a fragment saying why (and, where there is one, the fix). */
    readonly key: string;
    readonly message: RegExp;
}

const ROWS: Row[] = [
    { stack: "warm-standby", set: ["strategy=hot"], key: "strategy", message: /"hot" is not a known strategy; choose one of warm-standby, pilot-light/ },
    { stack: "warm-standby", set: ["strategy="], key: "strategy", message: /must not be empty/ },
    { stack: "pilot-light", set: ["failover=true"], key: "failover", message: /has no AWS standby to fail over to; use emergency instead/ },
    { stack: "warm-standby", set: ["emergency=true"], key: "emergency", message: /only the pilot-light strategy has an emergency site; use failover/ },
    { stack: "warm-standby", set: ["failover=yes"], key: "failover", message: /"yes" is not a boolean; use true or false/ },
    { stack: "warm-standby", set: ["failovr=true"], key: "failovr", message: /is not a setting of this program; did you mean failover\?/ },
    { stack: "warm-standby", set: ["dbBackupRetentionDay=7"], key: "dbBackupRetentionDay", message: /did you mean dbBackupRetentionDays\?/ },
    { stack: "warm-standby", set: ["deployWorkloads=true"], key: "deployWorkloads", message: /moved out: .*workloads project/ },
    { stack: "warm-standby", set: ["primaryRegion=seoul"], key: "primaryRegion", message: /"seoul" is not an AWS region code like ap-northeast-2/ },
    { stack: "warm-standby", set: ["standbyRegion=ap-northeast-2"], key: "standbyRegion", message: /the same region as primaryRegion; a standby must survive/ },
    { stack: "warm-standby", set: ["standbyCidr=10.10.128.0/17"], key: "standbyCidr", message: /overlaps primaryCidr 10\.10\.0\.0\/16/ },
    { stack: "warm-standby", set: ["primaryCidr=10.10.0.0/33"], key: "primaryCidr", message: /is not an IPv4 CIDR block/ },
    { stack: "warm-standby", set: ["primaryCidr=10.0.0.0/8"], key: "primaryCidr", message: /is a \/8; a VPC here must be \/16 to \/22/ },
    { stack: "warm-standby", set: ['primaryAvailabilityZones=["ap-northeast-1a"]'], key: "primaryAvailabilityZones", message: /is not a zone of primaryRegion ap-northeast-2/ },
    { stack: "warm-standby", set: ["primaryNatGateways=three"], key: "primaryNatGateways", message: /"three" is not one of per-az, single/ },
    { stack: "warm-standby", set: ["primaryNodeCount=0"], key: "primaryNodeCount", message: /0 is out of range; allowed 1-/ },
    { stack: "warm-standby", set: ["primaryNodeCount=two"], key: "primaryNodeCount", message: /"two" is not a whole number/ },
    { stack: "warm-standby", set: ["failoverNodeCount=1", "standbyNodeCount=3"], key: "failoverNodeCount", message: /below standbyNodeCount 3; failover would shrink the standby/ },
    { stack: "warm-standby", set: ["maxNodeCount=1"], key: "maxNodeCount", message: /below the largest node count in use/ },
    { stack: "warm-standby", set: ['clusterPublicAccessCidrs=["0.0.0.0/0"]'], key: "clusterPublicAccessCidrs", message: /opens the Kubernetes API to the whole internet/ },
    { stack: "warm-standby", set: ["clusterAdminArns=[]"], key: "clusterAdminArns", message: /is required: list at least one IAM role or user ARN/ },
    { stack: "warm-standby", set: ['clusterAdminArns=["arn:aws:iam::123:role/x"]'], key: "clusterAdminArns", message: /is not an IAM role or user ARN like arn:aws:iam::123456789012:role/ },
    { stack: "warm-standby", set: ['clusterAdminArns=["arn:aws:iam::123456789012:role/a","arn:aws:iam::123456789012:role/A"]'], key: "clusterAdminArns", message: /twice \(IAM names ignore case\)/ },
    { stack: "warm-standby", set: ["kubernetesVersion=1.20"], key: "kubernetesVersion", message: /1\.20 is not offered by EKS/ },
    { stack: "warm-standby", set: ["kubernetesExtendedSupport=1"], key: "kubernetesExtendedSupport", message: /"1" is not a boolean/ },
    { stack: "warm-standby", set: ["nodeInstanceType=huge"], key: "nodeInstanceType", message: /"huge" is not an EC2 instance type like t3\.large/ },
    { stack: "warm-standby", set: ["dbInstanceClass=t3.micro"], key: "dbInstanceClass", message: /is not an RDS instance class like db\.t3\.micro/ },
    { stack: "warm-standby", set: ["dbAllocatedStorageGb=10"], key: "dbAllocatedStorageGb", message: /10 is out of range; allowed 20-65536/ },
    { stack: "warm-standby", set: ["dbMaxAllocatedStorageGb=20", "dbAllocatedStorageGb=100"], key: "dbMaxAllocatedStorageGb", message: /20 is below dbAllocatedStorageGb 100/ },
    { stack: "warm-standby", set: ["dbEngineVersion=5.6"], key: "dbEngineVersion", message: /"5\.6" is not a MySQL 8 engine version/ },
    { stack: "warm-standby", set: ["dbBackupRetentionDays=3"], key: "dbBackupRetentionDays", message: /3 is out of range; allowed 7-35/ },
    { stack: "warm-standby", set: ["dbName=1shop"], key: "dbName", message: /must start with a letter/ },
    { stack: "warm-standby", set: ["dbUsername=admin-user"], key: "dbUsername", message: /must start with a letter and hold 1-16 letters, digits or underscores/ },
    { stack: "warm-standby", set: ['tables=[{"name":"ab","hashKey":"id"}]'], key: "tables", message: /item 0\.name: "ab" is not a DynamoDB table name/ },
    { stack: "warm-standby", set: ["tables={}"], key: "tables", message: /must be a list of \{name, hashKey/ },
    { stack: "warm-standby", set: ['tables=[{"name":"abc","hashKey":"pk","hashKeyType":"X"}]'], key: "tables", message: /item 0\.hashKeyType "X" is not one of S, N, B/ },
    { stack: "warm-standby", set: ['buckets=["Bad_Bucket"]'], key: "buckets", message: /is not a bucket name prefix/ },
    { stack: "warm-standby", set: ["services=[]"], key: "services", message: /lists no service: the load balancers need at least one/ },
    { stack: "warm-standby", set: ["services=web"], key: "services", message: /must be a YAML list or map \(set it with `pulumi config set --path`/ },
    { stack: "warm-standby", set: ['services=["web","web"]'], key: "services", message: /lists web more than once/ },
    { stack: "warm-standby", set: ["entryService=nope"], key: "entryService", message: /"nope" is not one of services \(ai, auth/ },
    { stack: "warm-standby", set: ["domainName=Example.COM"], key: "domainName", message: /is not a fully qualified lower-case host name/ },
    { stack: "warm-standby", set: ["hostedZoneId=abc"], key: "hostedZoneId", message: /is not a Route 53 hosted zone id/ },
    { stack: "warm-standby", set: ["healthCheckPort=70000"], key: "healthCheckPort", message: /70000 is out of range; allowed 1-65535/ },
    { stack: "warm-standby", set: ["healthCheckProtocol=FTP"], key: "healthCheckProtocol", message: /"FTP" is not one of HTTP, HTTPS/ },
    { stack: "warm-standby", set: ["healthCheckPath=health"], key: "healthCheckPath", message: /is not a URL path starting with \// },
    { stack: "warm-standby", set: ["healthCheckIntervalSeconds=15"], key: "healthCheckIntervalSeconds", message: /"15" is not one of 10, 30/ },
    { stack: "warm-standby", set: ["dnsTtlSeconds=-1"], key: "dnsTtlSeconds", message: /-1 is out of range/ },
    { stack: "warm-standby", set: ['alertSubscriptions=[{"protocol":"pager"}]'], key: "alertSubscriptions", message: /item 0\.protocol "pager" is not one of email, https, sms/ },
    { stack: "warm-standby", set: ['alertSubscriptions=[{"protocol":"email","endpoint":"oncall"}]'], key: "alertSubscriptions", message: /"oncall" is not an email address/ },
    { stack: "warm-standby", set: ['alertSubscriptions=[{"protocol":"sms","endpoint":"010-1234-5678"}]'], key: "alertSubscriptions", message: /not a phone number in E\.164 form/ },
    { stack: "warm-standby", set: ['alertSubscriptions=[{"protocol":"https","endpoint":"http://hooks.example.com"}]'], key: "alertSubscriptions", message: /must be an https:\/\/ URL/ },
    { stack: "warm-standby", set: ["tags=[1]"], key: "tags", message: /must be a map of tag names to strings/ },
    { stack: "warm-standby", set: ["enableAutoFailover=maybe"], key: "enableAutoFailover", message: /"maybe" is not a boolean/ },
    { stack: "warm-standby", set: ["appNamespace=Bad NS"], key: "appNamespace", message: /is not a lower-case DNS label/ },
    { stack: "warm-standby", set: ["repositoryPrefix=UP"], key: "repositoryPrefix", message: /must be 2-20 lower-case letters/ },
    { stack: "pilot-light", set: ["azureLocation=koreasouht"], key: "azureLocation", message: /did you mean koreasouth\?/ },
    { stack: "pilot-light", set: ["azureLocation=koreasouth", "azureStorageSku=Standard_ZRS"], key: "azureStorageSku", message: /needs availability zones.*Use Standard_GRS/ },
    { stack: "pilot-light", set: ["azureStorageSku=Premium_LRS"], key: "azureStorageSku", message: /is a premium SKU/ },
    { stack: "pilot-light", set: ["azureCidr=10.10.0.0/16"], key: "azureCidr", message: /overlaps primaryCidr/ },
    { stack: "pilot-light", set: ["serveApp=true"], key: "serveApp", message: /emergency is false: there is no application in Azure to serve/ },
    { stack: "pilot-light", set: ["azureVmSize=Big"], key: "azureVmSize", message: /is not an Azure VM size like Standard_B1s/ },
    { stack: "pilot-light", set: ["azureAdminUsername=root"], key: "azureAdminUsername", message: /not an allowed Linux admin name/ },
    { stack: "pilot-light", set: ["azureSshPublicKey=hunter2"], key: "azureSshPublicKey", message: /is not an OpenSSH public key/ },
    { stack: "pilot-light", set: ["dbEngineVersion=8.4", "azureMysqlVersion=8.0.21"], key: "azureMysqlVersion", message: /is older than dbEngineVersion 8\.4/ },
    { stack: "pilot-light", set: ["azureMysqlStorageGb=5"], key: "azureMysqlStorageGb", message: /5 is out of range; allowed 20-/ },
    { stack: "pilot-light", set: ["backupDeleteAfterDays=10", "backupImmutabilityDays=30"], key: "backupDeleteAfterDays", message: /shorter than backupImmutabilityDays 30; immutable blobs cannot be deleted/ },
    { stack: "pilot-light", set: ["backupCoolAfterDays=40", "backupDeleteAfterDays=30"], key: "backupDeleteAfterDays", message: /is not after backupCoolAfterDays 40/ },
    { stack: "pilot-light", set: ["backupContainerName=My_Backups"], key: "backupContainerName", message: /is not a blob container name/ },
    { stack: "pilot-light", set: ["backupInstanceAmi=ami-xyz"], key: "backupInstanceAmi", message: /is not an EC2 image id/ },
    { stack: "pilot-light", set: ["fullBackupIntervalHours=0"], key: "fullBackupIntervalHours", message: /0 is out of range; allowed 1-168/ },
    { stack: "pilot-light", set: ["backupSasExpiry=tomorrow"], key: "backupSasExpiry", message: /is not an ISO 8601 UTC date/ },
    { stack: "pilot-light", set: ["appArtifactUrl=http://example.com/app.tgz"], key: "appArtifactUrl", message: /is not an https:\/\/ URL/ },
];

async function plan(argv: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = "";
    let err = "";
    const code = await runPlanCli(argv, text => { out += text; }, text => { err += text; });
    return { code, out, err };
}

describe("bad inputs: stack config (refused before anything is declared, exit 2)", () => {
    for (const row of ROWS) {
        it(`${row.stack} --set ${row.set.join(" --set ")}`, async () => {
            const run = await plan(["--stack", row.stack, ...row.set.flatMap(s => ["--set", s])]);
            assert.strictEqual(run.code, EXIT.badInput, run.out.slice(0, 400) + run.err);
            assert.match(run.err, /Invalid stack configuration \(\d+ problems?\); nothing was declared/);
            const lines = run.err.split("\n").filter(l => l.includes(`multicloud-dr:${row.key} `));
            assert.ok(lines.some(line => row.message.test(line)), `${row.message}:\n${run.err}`);
            assert.strictEqual(run.out, "", "no plan printed");
        });
    }

    it("names every offending key at once, each with its own cause", async () => {
        const bad = ROWS.filter(r => r.stack === "warm-standby" && r.set.length === 1 && !["strategy", "failover", "emergency"].includes(r.key));
        const keys = [...new Set(bad.map(r => r.key))];
        const last = new Map(bad.map(r => [r.key, r]));
        const run = await plan(["--stack", "warm-standby", ...[...last.values()].flatMap(r => ["--set", r.set[0]])]);
        assert.strictEqual(run.code, EXIT.badInput);
        for (const key of keys) {
            assert.ok(run.err.includes(`multicloud-dr:${key} `), `${key} named:\n${run.err}`);
        }
        assert.ok(keys.length >= 30, `${keys.length} keys in one run`);
    });
});
