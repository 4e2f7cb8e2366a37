import { strict as assert } from "node:assert";
import { RewriteStats, SqlRewriter } from "../../backup/restore/sql-rewrite";

/** Longer than any clause in the samples, far shorter than the samples: boundaries fall everywhere. */
const SMALL_LOOKAHEAD = 64;

/** Feeds `input` through a rewriter in the given pieces and returns the output and stats. */
function rewrite(pieces: Buffer[], lookahead?: number): Promise<{ output: Buffer; stats: RewriteStats }> {
  const rewriter = new SqlRewriter(lookahead);
  const passed: Buffer[] = [];
  rewriter.on("data", (chunk: Buffer) => passed.push(chunk));
  return new Promise((resolve, reject) => {
    rewriter.on("error", reject);
    rewriter.on("end", () => resolve({ output: Buffer.concat(passed), stats: rewriter.stats }));
    for (const piece of pieces) rewriter.write(piece);
    rewriter.end();
  });
}

/** A MySQL 8 mysqldump with GTIDs on, foreign definers and data that looks like SQL. */
const MYSQL_DUMP = [
  "-- MySQL dump 10.13  Distrib 8.4.3, for Linux (x86_64)",
  "/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;",
  "SET @MYSQLDUMP_TEMP_LOG_BIN = @@SESSION.SQL_LOG_BIN;",
  "SET @@SESSION.SQL_LOG_BIN= 0;",
  "--",
  "-- GTID state at the beginning of the backup ",
  "--",
  "",
  "SET @@GLOBAL.GTID_PURGED=/*!80000 '+'*/ '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5;x';",
  "-- CHANGE REPLICATION SOURCE TO SOURCE_LOG_FILE='binlog.000123', SOURCE_LOG_POS=157;",
  "USE `shop`;",
  "INSERT INTO `notes` VALUES (1,'DEFINER=`x`@`y` and SET sql_log_bin=0;'),(2,'it\\'s DEFINER=`a`@`b`'),(3,'a''DEFINER=`q`@`h`'),(4,_binary '\\0\\'\u00ff');",
  "/* DEFINER=`in`@`comment` */ SELECT 1;",
  "# DEFINER=`hash`@`comment`",
  "DELIMITER ;;",
  "/*!50003 CREATE*/ /*!50017 DEFINER=`rds_app`@`10.0.%`*/ /*!50003 TRIGGER `t_ins` BEFORE INSERT ON `notes` FOR EACH ROW BEGIN SET NEW.body = CONCAT(NEW.body, ';DEFINER=`z`@`z`;'); END */;;",
  "DELIMITER ;",
  "/*!50001 CREATE ALGORITHM=UNDEFINED */",
  "/*!50013 DEFINER=`app`@`%` SQL SECURITY DEFINER */",
  "/*!50001 VIEW `v_notes` AS select `notes`.`id` AS `id` from `notes` */;",
  "DELIMITER ;;",
  "CREATE DEFINER='o''brien'@'localhost' FUNCTION `f`(x INT) RETURNS int DETERMINISTIC RETURN x + 1 ;;",
  "CREATE definer = root@localhost PROCEDURE `p`() BEGIN SELECT 'DEFINER=`s`@`s`'; END ;;",
  "DELIMITER ;",
  "SET @@SESSION.SQL_LOG_BIN = @MYSQLDUMP_TEMP_LOG_BIN;",
  "SELECT undefiner, `DEFINER=1` FROM t;",
  "",
].join("\n");

const MYSQL_DUMP_REWRITTEN = [
  "-- MySQL dump 10.13  Distrib 8.4.3, for Linux (x86_64)",
  "/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;",
  "SET @MYSQLDUMP_TEMP_LOG_BIN = @@SESSION.SQL_LOG_BIN;",
  "",
  "--",
  "-- GTID state at the beginning of the backup ",
  "--",
  "",
  "",
  "-- CHANGE REPLICATION SOURCE TO SOURCE_LOG_FILE='binlog.000123', SOURCE_LOG_POS=157;",
  "USE `shop`;",
  "INSERT INTO `notes` VALUES (1,'DEFINER=`x`@`y` and SET sql_log_bin=0;'),(2,'it\\'s DEFINER=`a`@`b`'),(3,'a''DEFINER=`q`@`h`'),(4,_binary '\\0\\'\u00ff');",
  "/* DEFINER=`in`@`comment` */ SELECT 1;",
  "# DEFINER=`hash`@`comment`",
  "DELIMITER ;;",
  "/*!50003 CREATE*/ /*!50017 DEFINER=CURRENT_USER*/ /*!50003 TRIGGER `t_ins` BEFORE INSERT ON `notes` FOR EACH ROW BEGIN SET NEW.body = CONCAT(NEW.body, ';DEFINER=`z`@`z`;'); END */;;",
  "DELIMITER ;",
  "/*!50001 CREATE ALGORITHM=UNDEFINED */",
  "/*!50013 DEFINER=CURRENT_USER SQL SECURITY DEFINER */",
  "/*!50001 VIEW `v_notes` AS select `notes`.`id` AS `id` from `notes` */;",
  "DELIMITER ;;",
  "CREATE DEFINER=CURRENT_USER FUNCTION `f`(x INT) RETURNS int DETERMINISTIC RETURN x + 1 ;;",
  "CREATE DEFINER=CURRENT_USER PROCEDURE `p`() BEGIN SELECT 'DEFINER=`s`@`s`'; END ;;",
  "DELIMITER ;",
  "",
  "SELECT undefiner, `DEFINER=1` FROM t;",
  "",
].join("\n");

/** What `mysqlbinlog --skip-gtids` prints for MySQL 8 binlogs (shape, shortened). */
const MYSQLBINLOG_OUTPUT = [
  "/*!50530 SET @@SESSION.PSEUDO_SLAVE_MODE=1*/;",
  "/*!50003 SET @OLD_COMPLETION_TYPE=@@COMPLETION_TYPE,COMPLETION_TYPE=0*/;",
  "DELIMITER /*!*/;",
  "# at 4",
  "#201027  7:17:37 server id 1  end_log_pos 124 CRC32 0x2a4a8a3c 	Start: binlog v 4, server v 8.0.11 created 201027  7:17:37",
  "SET @@SESSION.GTID_NEXT= 'ANONYMOUS'/*!*/;",
  "/*!80001 SET @@session.original_commit_timestamp=1603783057802383*//*!*/;",
  "/*!80014 SET @@session.original_server_version=80011*//*!*/;",
  "/*!80014 SET @@session.immediate_server_version=80011*//*!*/;",
  "use `shop`/*!*/;",
  "SET TIMESTAMP=1603783057/*!*/;",
  "CREATE DEFINER=`rdsadmin`@`localhost` TRIGGER t BEFORE UPDATE ON x FOR EACH ROW SET NEW.a = 'x;y'",
  "/*!*/;",
  "BINLOG '",
  "kdSXXxMBAAAAOQAAAFACAAAAAEgAAAAAAAEABHNob3AABGl0ZW1zAAMDDw8EkAEAAgYBAQACAwj8AQE=",
  "'/*!*/;",
  "SET @@SESSION.GTID_NEXT= 'AUTOMATIC' /* added by mysqlbinlog */ /*!*/;",
  "DELIMITER ;",
  "# End of log file",
  "/*!50530 SET @@SESSION.PSEUDO_SLAVE_MODE=0*/;",
  "",
].join("\n");

const MYSQLBINLOG_REWRITTEN = [
  "/*!50530 SET @@SESSION.PSEUDO_SLAVE_MODE=1*/;",
  "/*!50003 SET @OLD_COMPLETION_TYPE=@@COMPLETION_TYPE,COMPLETION_TYPE=0*/;",
  "DELIMITER /*!*/;",
  "# at 4",
  "#201027  7:17:37 server id 1  end_log_pos 124 CRC32 0x2a4a8a3c 	Start: binlog v 4, server v 8.0.11 created 201027  7:17:37",
  "",
  "",
  "",
  "",
  "use `shop`/*!*/;",
  "SET TIMESTAMP=1603783057/*!*/;",
  "CREATE DEFINER=CURRENT_USER TRIGGER t BEFORE UPDATE ON x FOR EACH ROW SET NEW.a = 'x;y'",
  "/*!*/;",
  "BINLOG '",
  "kdSXXxMBAAAAOQAAAFACAAAAAEgAAAAAAAEABHNob3AABGl0ZW1zAAMDDw8EkAEAAgYBAQACAwj8AQE=",
  "'/*!*/;",
  "",
  "DELIMITER ;",
  "# End of log file",
  "/*!50530 SET @@SESSION.PSEUDO_SLAVE_MODE=0*/;",
  "",
].join("\n");

describe("SQL rewrite for a restore user without SUPER", () => {
  it("rewrites definers and drops GTID and sql_log_bin settings in a MySQL dump, leaving string data and comments alone", async () => {
    const { output, stats } = await rewrite([Buffer.from(MYSQL_DUMP, "latin1")]);
    assert.equal(output.toString("latin1"), MYSQL_DUMP_REWRITTEN);
    assert.deepEqual(stats, { definers: 4, droppedStatements: 3 });
  });

  it("gives the same output whatever the chunk boundaries (every split offset, and one byte at a time)", async () => {
    const input = Buffer.from(MYSQL_DUMP, "latin1");
    for (let split = 0; split <= input.length; split++) {
      const { output } = await rewrite([input.subarray(0, split), input.subarray(split)], SMALL_LOOKAHEAD);
      assert.equal(output.toString("latin1"), MYSQL_DUMP_REWRITTEN, `split at ${split}`);
    }
    const bytes: Buffer[] = [];
    for (let i = 0; i < input.length; i++) bytes.push(input.subarray(i, i + 1));
    assert.equal((await rewrite(bytes, SMALL_LOOKAHEAD)).output.toString("latin1"), MYSQL_DUMP_REWRITTEN);
    assert.equal((await rewrite(bytes)).output.toString("latin1"), MYSQL_DUMP_REWRITTEN);
  });

  it("rewrites mysqlbinlog output under DELIMITER /*!*/; at every split offset", async () => {
    const input = Buffer.from(MYSQLBINLOG_OUTPUT, "latin1");
    for (let split = 0; split <= input.length; split++) {
      const { output, stats } = await rewrite([input.subarray(0, split), input.subarray(split)], SMALL_LOOKAHEAD);
      assert.equal(output.toString("latin1"), MYSQLBINLOG_REWRITTEN, `split at ${split}`);
      assert.deepEqual(stats, { definers: 1, droppedStatements: 5 });
    }
  });

  it("passes every byte value inside strings through unchanged, far past the lookahead", async () => {
    const all = Buffer.alloc(256 * 40);
    for (let i = 0; i < all.length; i++) all[i] = i % 256;
    const escaped = Buffer.from(all.toString("latin1").replace(/[\\']/g, (c) => `\\${c}`), "latin1");
    const input = Buffer.concat([Buffer.from("INSERT INTO t VALUES ('"), escaped, Buffer.from("');\nCREATE DEFINER=`a`@`b` VIEW v AS SELECT 1;\n")]);
    const expected = Buffer.concat([Buffer.from("INSERT INTO t VALUES ('"), escaped, Buffer.from("');\nCREATE DEFINER=CURRENT_USER VIEW v AS SELECT 1;\n")]);
    for (const size of [1, 977, 4096, 65536]) {
      const pieces: Buffer[] = [];
      for (let i = 0; i < input.length; i += size) pieces.push(input.subarray(i, i + size));
      assert.ok((await rewrite(pieces)).output.equals(expected), `chunks of ${size}`);
    }
  });
});
