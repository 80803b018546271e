import { answer, configGet, input, log, storageGet, storageSet, stringField } from "./atrium";
export { alloc } from "./atrium";

export function hook_hello(ptr: usize, len: i32): i64 {
  const text = input(ptr, len);
  log("hello called");
  return answer(`{"greeting":"hello from AssemblyScript","input_chars":${text.length}}`);
}

export function hook_count(ptr: usize, len: i32): i64 {
  const count = storedCount("count") + 1;
  storageSet("count", count.toString());
  return answer(`{"count":${count}}`);
}

// proof.before_submit (synchronous): refuses a proof whose title holds the `hold_marker` setting ("[hold]").
export function hook_proof_before_submit(ptr: usize, len: i32): i64 {
  let marker = stringField(configGet(), "hold_marker");
  if (marker.length == 0) marker = "[hold]";
  if (stringField(input(ptr, len), "title").includes(marker)) {
    return answer(`{"allow":false,"reason":"its title says ${marker}"}`);
  }
  return answer(`{"allow":true}`);
}

// proof.version_added (an event): counts the versions added.
export function hook_proof_version_added(ptr: usize, len: i32): i64 {
  const count = storedCount("versions_added") + 1;
  storageSet("versions_added", count.toString());
  return answer(`{"versions_added":${count}}`);
}

// versions (run by hand): how many versions were added since it was installed.
export function hook_versions(ptr: usize, len: i32): i64 {
  return answer(`{"versions_added":${storedCount("versions_added")}}`);
}

function storedCount(key: string): i32 {
  const stored = storageGet(key);
  return stored.length == 0 ? 0 : I32.parseInt(stored);
}
