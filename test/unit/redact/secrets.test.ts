import { describe, expect, it } from "vitest";
import { looksSecret, mask, redactArgv, redactText, secretContent, shown } from "../../../src/redact/secrets.js";

const V = "s3cr3t-V4lue";

describe("secret by name", () => {
  it.each([
    "POSTGRES_PASSWORD", "MYSQL_ROOT_PASSWORD", "DB_PASSWD", "MYSQL_PWD", "PWD_HASH", "DB_PASS", "SMTP_PASS", "PASS",
    "SECRET_KEY", "CLIENT_SECRET", "GITHUB_TOKEN", "ACCESS_TOKEN", "API_KEY", "OPENAI_API_KEY", "APIKEY", "PRIVATE_KEY",
    "ENCRYPTION_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "GPG_PASSPHRASE", "GOOGLE_CREDENTIALS", "REDIS_AUTH", "SENTRY_DSN",
    "redis_password",
  ])("%s is secret", (name) => {
    expect(looksSecret(name, V)).toBe(true);
    expect(mask(V, { name })).toBe("***");
    expect(shown(V, false, name)).toBe("***");
  });

  it.each(["PWD", "OLDPWD", "AUTH_RATE_LIMIT", "OAUTH_ISSUER", "PASSTHROUGH", "BYPASS_CACHE", "KEYBOARD_LAYOUT", "MONKEY", "DEBUG", "NODE_ENV", "PORT", "AUTHOR", "HOST"])("%s is not secret", (name) => {
    expect(looksSecret(name, "plain")).toBe(false);
    expect(mask("plain", { name })).toBe("plain");
  });

  it.each(["yes", "no", "true", "false", "1", "0", "", "on", "off", "YES", "True"])("ALLOW_EMPTY_PASSWORD=%j is a flag, not a secret", (v) => {
    expect(looksSecret("ALLOW_EMPTY_PASSWORD", v)).toBe(false);
    expect(mask(v, { name: "ALLOW_EMPTY_PASSWORD" })).toBe(v);
    expect(redactText(`ALLOW_EMPTY_PASSWORD=${v} run`)).toBe(`ALLOW_EMPTY_PASSWORD=${v} run`);
  });

  it("a *_FILE / *_PATH variable holding an absolute path names where the secret is, so it is shown; anything else under that name is still masked", () => {
    expect(looksSecret("POSTGRES_PASSWORD_FILE", "/run/secrets/db_password")).toBe(false);
    expect(mask("/run/secrets/db_password", { name: "POSTGRES_PASSWORD_FILE" })).toBe("/run/secrets/db_password");
    expect(looksSecret("TLS_PRIVATE_KEY_PATH", "/etc/tls/key.pem")).toBe(false);
    expect(mask("hunter2hunter2", { name: "POSTGRES_PASSWORD_FILE" })).toBe("***");
    expect(mask("/run/secrets/db password", { name: "POSTGRES_PASSWORD_FILE" })).toBe("***");
    expect(mask("/run/secrets/x", { name: "POSTGRES_PASSWORD" })).toBe("***");
  });

  it("a reference to another variable is shown", () => {
    expect(mask("$(DB_PASSWORD)", { name: "PGPASSWORD" })).toBe("$(DB_PASSWORD)");
    expect(mask("${DB_PASSWORD}", { name: "PGPASSWORD" })).toBe("${DB_PASSWORD}");
  });

  it("a value from a Secret is masked whatever its name and content", () => {
    expect(mask("hello", { secret: true })).toBe("***");
    expect(mask("yes", { secret: true, name: "HOST" })).toBe("***");
    expect(shown("hello", true)).toBe("***");
    expect(shown(undefined, true)).toBe("(unset)");
  });
});

describe("secret by content", () => {
  it.each([
    ["Server=db;User Id=sa;Password=" + V + ";Database=app", "Server=db;User Id=sa;Password=***;Database=app"],
    ["Server=db;Password=My Pass With Spaces;", "Server=db;Password=***;"],
    ["Host=h;Pwd=" + V + ";", "Host=h;Pwd=***;"],
    ["Data Source=x;PASSWORD=" + V, "Data Source=x;PASSWORD=***"],
    ["postgres://u:" + V + "@db:5432/app", "postgres://u:***@db:5432/app"],
    ["postgres://u:p/ss@h/db", "postgres://u:***@h/db"],
    ["redis://:" + V + "@redis:6379/0", "redis://:***@redis:6379/0"],
    ["amqp://guest:p@ss:w/rd@rabbit/", "amqp://guest:***@rabbit/"],
    ["DATABASE_URL=mysql://root:" + V + "@db/x other", "DATABASE_URL=mysql://root:***@db/x other"],
    ["-----BEGIN PRIVATE KEY-----\nMIIE" + V + "\n-----END PRIVATE KEY-----", "***"],
    ["key: -----BEGIN RSA PRIVATE KEY-----\nabc", "key: ***"],
    ["-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY----- tail", "*** tail"],
    ["ghp_0123456789abcdefghijABCDEFGHIJ012345", "***"],
    ["github_pat_11ABCDEFG0123456789_abcdefghijklmnop", "***"],
    ["xoxb-1234567890-abcdefghij", "***"],
    ["xoxp-1234567890-abcdefghij", "***"],
    ["AKIAIOSFODNN7EXAMPLE", "***"],
    ["Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", "Bearer ***"],
    ["sk-abcdefghijklmnopqrstuvwxyz012345", "***"],
    ["glpat-abcdefghijklmnopqrst", "***"],
  ])("%j → %j", (input, want) => {
    expect(redactText(input)).toBe(want);
    expect(secretContent(input)).toBe(true);
    expect(looksSecret("ANY", input)).toBe(true);
    expect(mask(input)).toBe(want);
  });

  it.each([
    "redis://redis:6379/0",
    "http://backend:8000/api/health",
    "curl -fsS http://localhost:8080/health",
    "pg_isready -U postgres -p 5432",
    "redis-cli -h redis -p 6379 ping",
    "ls -a /tmp",
    "Server=db;Database=app;Trusted_Connection=yes",
    "Server=db;Password=;",
    "postgres://u:${PGPASSWORD}@db/app",
    "node migrate.js",
    "eyJ-not-a-jwt",
  ])("%j is left alone", (input) => {
    expect(redactText(input)).toBe(input);
    expect(secretContent(input)).toBe(false);
  });
});

describe("secret flags in commands", () => {
  it.each([
    ["redis-server --requirepass " + V + " --maxmemory 256mb", "redis-server --requirepass *** --maxmemory 256mb"],
    ["redis-server --masterauth " + V, "redis-server --masterauth ***"],
    ["redis-cli -a " + V + " ping", "redis-cli -a *** ping"],
    ["redis-cli -h redis -p 6379 -a " + V + " ping", "redis-cli -h redis -p 6379 -a *** ping"],
    ["valkey-cli -a '" + V + "' ping", "valkey-cli -a *** ping"],
    ["mysqladmin ping -h localhost -u root -p" + V, "mysqladmin ping -h localhost -u root -p***"],
    ["mysql -uroot -p " + V + " -e 'select 1'", "mysql -uroot -p *** -e 'select 1'"],
    ["/usr/bin/mysql -p" + V, "/usr/bin/mysql -p***"],
    ["app --password=" + V, "app --password=***"],
    ["app --password " + V, "app --password ***"],
    ["app --token=" + V + " --api-key " + V, "app --token=*** --api-key ***"],
    ["PGPASSWORD=" + V + " psql -h db -U app", "PGPASSWORD=*** psql -h db -U app"],
    ["env MYSQL_PWD=" + V + " mysql -h db", "env MYSQL_PWD=*** mysql -h db"],
    ["sh -c \"redis-cli -a " + V + " ping\"", "sh -c \"redis-cli -a *** ping\""],
    ["redis-cli -a " + V + " ping || exit 1", "redis-cli -a *** ping || exit 1"],
    ["true && redis-cli -a " + V + " ping", "true && redis-cli -a *** ping"],
  ])("%j → %j", (input, want) => {
    expect(redactText(input)).toBe(want);
    expect(redactText(input)).not.toContain(V);
  });

  it.each([
    "redis-server --requirepass $REDIS_PASSWORD",
    "redis-cli -a \"$REDIS_PASSWORD\" ping",
    "redis-server --requirepass $(REDIS_PASSWORD)",
    "pg_isready -p 5432",
    "psql -p 5432 -h db",
    "grep -a foo",
  ])("%j is left alone", (input) => {
    expect(redactText(input)).toBe(input);
  });

  it("argv elements", () => {
    expect(redactArgv(["redis-server", "--requirepass", V, "--port", "6379"])).toEqual(["redis-server", "--requirepass", "***", "--port", "6379"]);
    expect(redactArgv(["redis-cli", "-a", V, "ping"])).toEqual(["redis-cli", "-a", "***", "ping"]);
    expect(redactArgv(["redis-cli", "-p", "6379", "ping"])).toEqual(["redis-cli", "-p", "6379", "ping"]);
    expect(redactArgv(["mysql", "-p" + V])).toEqual(["mysql", "-p***"]);
    expect(redactArgv(["sh", "-c", `redis-cli -a ${V} ping`])).toEqual(["sh", "-c", "redis-cli -a *** ping"]);
    expect(redactArgv(["psql", `postgres://u:${V}@db/app`])).toEqual(["psql", "postgres://u:***@db/app"]);
    expect(redactArgv(["run", `POSTGRES_PASSWORD=${V}`, "ALLOW_EMPTY_PASSWORD=yes"])).toEqual(["run", "POSTGRES_PASSWORD=***", "ALLOW_EMPTY_PASSWORD=yes"]);
    expect(redactArgv(["docker", "-e", `X=ghp_0123456789abcdefghijABCDEFGHIJ012345`])).toEqual(["docker", "-e", "X=***"]);
    expect(redactArgv([])).toEqual([]);
  });

  it("is idempotent", () => {
    for (const s of [`redis-cli -a ${V} ping`, `postgres://u:${V}@h/db`, `Server=x;Password=${V};`, `mysql -p${V}`]) {
      expect(redactText(redactText(s))).toBe(redactText(s));
    }
  });
});

describe("shell scripts", () => {
  it("terminates on words that hold quoted spaces, and leaves scripts without secrets alone", () => {
    const script = 'head --version 2>/dev/null | grep -q coreutils || exit 3; echo ready; while read n; do head -c "$n" | tar xf - -C /; echo "ok $?"; done';
    expect(redactArgv(["sh", "-c", script])).toEqual(["sh", "-c", script]);
    expect(redactText('x"a b"y z')).toBe('x"a b"y z');
  });
});
