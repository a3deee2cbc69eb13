// Failing seed statements are printed through redaction (issue 16): the literal after PASSWORD,
// in any quoting; Redis commands whose arguments hold a secret are named, never echoed.
import { expect, it } from "vitest";
import { redactSql, withoutSecrets } from "../../../src/seed/sql-locate.js";
import { secretCommand } from "../../../src/seed/redis.js";

it("masks the literal after PASSWORD in CREATE/ALTER ROLE/USER", () => {
  expect(redactSql("CREATE ROLE app LOGIN PASSWORD 'pw''s secret'").text).toBe("CREATE ROLE app LOGIN PASSWORD '***'");
  expect(redactSql("ALTER USER app WITH ENCRYPTED PASSWORD E'a\\'b' VALID UNTIL 'infinity'").text).toBe("ALTER USER app WITH ENCRYPTED PASSWORD '***' VALID UNTIL 'infinity'");
  expect(redactSql("alter role app password $$x;y$$").text).toBe("alter role app password '***'");
  expect(redactSql("insert into users values (1, 'ada')").text).toBe("insert into users values (1, 'ada')");
  const { secrets } = redactSql("CREATE ROLE a PASSWORD 'hunter2'");
  expect(withoutSecrets('syntax error at or near "\'hunter2\'"', secrets)).toBe('syntax error at or near "***"');
});

it("names Redis commands that carry a secret, with the values to keep out of messages", () => {
  expect(secretCommand(["AUTH", "default", "pw"])).toEqual({ name: "AUTH", secrets: ["default", "pw"] });
  expect(secretCommand(["config", "set", "maxmemory", "1mb", "requirepass", "pw"])).toEqual({ name: "CONFIG SET requirepass", secrets: ["pw"] });
  expect(secretCommand(["ACL", "SETUSER", "bob", "on", ">pw", "~*"])).toEqual({ name: "ACL SETUSER", secrets: [">pw", "pw"] });
  expect(secretCommand(["HELLO", "3", "AUTH", "bob", "pw"])?.secrets).toEqual(["bob", "pw"]);
  expect(secretCommand(["SET", "k", "v"])).toBeUndefined();
  expect(secretCommand(["CONFIG", "SET", "maxmemory", "1mb"])).toBeUndefined();
});
