// The Atrium plugin SDK for AssemblyScript: the host functions of the ABI (docs/plugins.md) and the glue that
// turns a hook's input into a string and a string into its answer.

@external("atrium", "log") declare function host_log(ptr: usize, len: i32): void;
@external("atrium", "last_error") declare function host_last_error(): i64;
@external("atrium", "storage_get") declare function host_storage_get(ptr: usize, len: i32): i64;
@external("atrium", "storage_set") declare function host_storage_set(ptr: usize, len: i32): i64;
@external("atrium", "config_get") declare function host_config_get(ptr: usize, len: i32): i64;
@external("atrium", "secrets_get") declare function host_secrets_get(ptr: usize, len: i32): i64;

// Where the host writes a hook's input and the answers of its host functions.
export function alloc(size: i32): usize {
  return heap.alloc(<usize>size);
}

// A hook's input (JSON text) from what the host passed.
export function input(ptr: usize, len: i32): string {
  return String.UTF8.decodeUnsafe(ptr, <usize>len);
}

// A hook's answer (JSON text), packed for the host.
export function answer(json: string): i64 {
  const bytes = String.UTF8.encode(json);
  return (<i64>changetype<usize>(bytes) << 32) | <i64>bytes.byteLength;
}

function unpacked(packed: i64): string {
  if (packed <= 0) return "";
  return String.UTF8.decodeUnsafe(<usize>(packed >> 32), <usize>(packed & 0xFFFFFFFF));
}

function call(fn: (ptr: usize, len: i32) => i64, request: string): string {
  const bytes = String.UTF8.encode(request);
  const packed = fn(changetype<usize>(bytes), bytes.byteLength);
  if (packed < 0) throw new Error(unpacked(host_last_error()));
  return unpacked(packed);
}

export function log(line: string): void {
  const bytes = String.UTF8.encode(line);
  host_log(changetype<usize>(bytes), bytes.byteLength);
}

// The stored value's JSON under `key` ("" when none).
export function storageGet(key: string): string {
  const found = call(host_storage_get, `{"key":${quote(key)}}`);
  if (found.length == 0) return "";
  return found.slice(9, found.length - 1);  // {"value":<json>}
}

export function storageSet(key: string, valueJson: string): void {
  call(host_storage_set, `{"key":${quote(key)},"value":${valueJson}}`);
}

export function quote(text: string): string {
  return '"' + text.replaceAll("\\", "\\\\").replaceAll('"', '\\"') + '"';
}

// The plugin's settings (JSON text of an object): what the tenant configured, defaults included; never a secret.
export function configGet(): string {
  return call(host_config_get, "{}");
}

// A secret's value (JSON text) under `key`, "" when unset; needs the `secrets` permission.
export function secretGet(key: string): string {
  const found = call(host_secrets_get, `{"key":${quote(key)}}`);
  if (found.length == 0) return "";
  return found.slice(9, found.length - 1);  // {"value":<json>}
}

// The string value of a top-level `key` of a JSON object the platform wrote ("" when absent or not a string):
// enough for settings; a plugin reading richer JSON brings a JSON library.
export function stringField(json: string, key: string): string {
  const name = quote(key);
  let at = json.indexOf(name);
  if (at < 0) return "";
  at = skipSpaces(json, at + name.length);
  if (json.charAt(at) != ":") return "";
  at = skipSpaces(json, at + 1);
  if (json.charAt(at) != '"') return "";
  let value = "";
  for (at++; at < json.length && json.charAt(at) != '"'; at++) {
    if (json.charAt(at) == "\\") at++;
    value += json.charAt(at);
  }
  return value;
}

function skipSpaces(text: string, at: i32): i32 {
  while (at < text.length && (text.charAt(at) == " " || text.charAt(at) == "\n")) at++;
  return at;
}
