// Where a JSON text first goes wrong, pure: a small recursive-descent checker, because
// JSON.parse on Node 20 does not always say where (and YAML, which reads JSON for the
// positions, accepts things JSON does not, like `{"a": }`).

/** The first syntax error of a JSON text, or undefined when it is valid. */
export function jsonSyntaxError(text: string): { offset: number; message: string } | undefined {
  let i = 0;
  const fail = (message: string): never => {
    throw Object.assign(new Error(message), { offset: i });
  };
  const ws = () => {
    while (i < text.length && " \t\r\n".includes(text[i]!)) i++;
  };
  const expect = (c: string) => (text[i] === c ? i++ : fail(`expected '${c}'${text[i] === undefined ? " before the end" : `, found '${text[i]}'`}`));
  const string = () => {
    expect('"');
    while (text[i] !== '"') {
      if (i >= text.length || text[i] === "\n") fail("unterminated string");
      if (text[i] === "\\") i++;
      i++;
    }
    i++;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      ws();
      if (text[i] === "}") return void i++;
      for (;;) {
        ws();
        string();
        ws();
        expect(":");
        value();
        ws();
        if (text[i] === ",") i++;
        else return void expect("}");
      }
    } else if (c === "[") {
      i++;
      ws();
      if (text[i] === "]") return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ",") i++;
        else return void expect("]");
      }
    } else if (c === '"') string();
    else {
      const m = /^(-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 400));
      if (!m) fail(c === undefined ? "unexpected end of JSON" : `unexpected '${c}'`);
      i += m![0].length;
    }
  };
  try {
    value();
    ws();
    if (i < text.length) fail(`unexpected '${text[i]}' after the JSON value`);
    return undefined;
  } catch (e) {
    return { offset: (e as { offset: number }).offset, message: (e as Error).message };
  }
}
