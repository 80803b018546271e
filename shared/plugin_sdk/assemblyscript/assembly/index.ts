import { answer, input, log, storageGet, storageSet } from "./atrium";
export { alloc } from "./atrium";

export function hook_hello(ptr: usize, len: i32): i64 {
  const text = input(ptr, len);
  log("hello called");
  return answer(`{"greeting":"hello from AssemblyScript","input_chars":${text.length}}`);
}

export function hook_count(ptr: usize, len: i32): i64 {
  const stored = storageGet("count");
  const count = (stored.length == 0 ? 0 : I32.parseInt(stored)) + 1;
  storageSet("count", count.toString());
  return answer(`{"count":${count}}`);
}
