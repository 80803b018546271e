"""Synthesize the Atrium app once per test session (synth costs seconds).

The ``synthesized`` fixture is shared with other infra tests (e.g. test_parity.py); keep its
shape stable. It is a ``Synthesized`` with:

- ``template``: ``aws_cdk.assertions.Template`` of the main stack ``Atrium``.
- ``templates``: every template as a plain dict, keyed by construct path: ``"Atrium"`` for the
  main stack and ``"Atrium/Api/<Context>Routes"`` for each nested stack of route functions
  (``<Context><Feature>Routes`` for each feature folder of a context too large for one).
  Nested templates reach main-stack resources through parameters, which the main stack's
  ``AWS::CloudFormation::Stack`` resource passes; ``resolve`` follows them.
- ``messages``: the cdk-nag (AwsSolutions) annotations left after suppressions, errors and
  warnings, as ``Message(level, path, text)``; ``text`` starts with the rule id.
- ``assembly_dir``: the cloud assembly directory.
- ``resources(type)``: every resource of a CloudFormation type in all templates, as
  ``Resource(stack, logical_id, body)`` (``.type``, ``.properties``).
- ``functions(env_var)``: Lambda functions that set ``env_var``, keyed by its value.
- ``resolve(stack, value)``: the resource a ``Ref`` / ``Fn::GetAtt`` (or a nested-stack
  parameter holding one) points at, or None.
"""

import fcntl
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
# jsii silences its node end-of-life warning for the listed major versions ("1" does nothing).
_SILENCE = "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION"
if "20" not in os.environ.get(_SILENCE, "").split(","):
    os.environ[_SILENCE] = ",".join(filter(None, [os.environ.get(_SILENCE), "20"]))

from aws_cdk import NestedStack, Stack  # noqa: E402
from aws_cdk.assertions import Template  # noqa: E402

from infra.app import STACK_NAME, build_app  # noqa: E402


@dataclass(frozen=True)
class Message:
    level: str
    path: str
    text: str


@dataclass(frozen=True)
class Resource:
    stack: str
    logical_id: str
    body: dict[str, Any]

    @property
    def type(self) -> str:
        return str(self.body["Type"])

    @property
    def properties(self) -> dict[str, Any]:
        props: dict[str, Any] = self.body.get("Properties", {})
        return props


@dataclass(frozen=True)
class Synthesized:
    template: Template
    templates: dict[str, dict[str, Any]]
    messages: list[Message]
    assembly_dir: Path
    # nested stack path -> (parent stack path, logical id of its AWS::CloudFormation::Stack)
    nested_in: dict[str, tuple[str, str]]

    def resource(self, stack: str, logical_id: str) -> Resource:
        return Resource(stack, logical_id, self.templates[stack]["Resources"][logical_id])

    def resources(self, type_: str) -> list[Resource]:
        return [Resource(stack, logical_id, body) for stack, template in self.templates.items()
                for logical_id, body in template.get("Resources", {}).items() if body["Type"] == type_]

    def functions(self, env_var: str) -> dict[str, Resource]:
        found: dict[str, Resource] = {}
        for fn in self.resources("AWS::Lambda::Function"):
            value = fn.properties.get("Environment", {}).get("Variables", {}).get(env_var)
            if value is not None:
                assert value not in found, f"two functions with {env_var}={value}"
                found[value] = fn
        return found

    def lifted(self, stack: str, value: Any) -> Any:
        """``value`` (of a template in ``stack``) with each reference to a nested stack's parameter replaced by
        what its parent passes, down to the main stack's own expressions."""
        if isinstance(value, list):
            return [self.lifted(stack, item) for item in value]
        if not isinstance(value, dict):
            return value
        name = value.get("Ref")
        if len(value) == 1 and name in self.templates[stack].get("Parameters", {}) and stack in self.nested_in:
            parent, logical_id = self.nested_in[stack]
            return self.lifted(parent, self.resource(parent, logical_id).properties["Parameters"][name])
        return {key: self.lifted(stack, item) for key, item in value.items()}

    def resolve(self, stack: str, value: Any) -> Resource | None:
        if not isinstance(value, dict) or len(value) != 1:
            return None
        (intrinsic, arg), = value.items()
        if intrinsic == "Ref":
            name = arg
        elif intrinsic == "Fn::GetAtt":
            name = arg[0] if isinstance(arg, list) else arg.split(".")[0]
        else:
            return None
        template = self.templates[stack]
        if name in template.get("Resources", {}):
            return self.resource(stack, name)
        if name in template.get("Parameters", {}) and stack in self.nested_in:
            parent, logical_id = self.nested_in[stack]
            passed = self.resource(parent, logical_id).properties.get("Parameters", {}).get(name)
            return self.resolve(parent, passed)
        return None


def _messages(outdir: Path, artifact_id: str) -> list[Message]:
    """Errors and warnings from the assembly's metadata (read as files: jsii cannot proxy
    ``CloudFormationStackArtifact.messages``)."""
    artifact = json.loads((outdir / "manifest.json").read_text())["artifacts"][artifact_id]
    metadata: dict[str, list[dict[str, Any]]] = dict(artifact.get("metadata", {}))
    if extra := artifact.get("additionalMetadataFile"):
        metadata.update(json.loads((outdir / extra).read_text()))
    levels = {"aws:cdk:error": "error", "aws:cdk:warning": "warning"}
    return [Message(levels[entry["type"]], path, str(entry["data"]))
            for path, entries in metadata.items() for entry in entries if entry["type"] in levels]


@pytest.fixture(scope="session")
def read_messages() -> Callable[[Path, str], list[Message]]:
    """How ``synthesized.messages`` is read, for tests of other (small) assemblies."""
    return _messages


@pytest.fixture(scope="session")
def synthesized(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Synthesized:
    """Synthesized once per run: the first test process to need it synthesizes into the run's shared temporary
    folder, and the others (pytest-xdist workers) wait for it and read what it wrote."""
    if worker_id == "master":
        return synthesize(tmp_path_factory.mktemp("cdk.out"))
    shared = tmp_path_factory.getbasetemp().parent / "cdk.out"
    with (shared.parent / "cdk.out.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (shared / _SAVED).exists():
            return _load(shared)
        synthesized = synthesize(shared)
        _save(synthesized)
        return synthesized


_SAVED = "synthesized.json"  # beside the assembly: what ``Synthesized`` holds besides it


def _save(synthesized: Synthesized) -> None:
    saved = {"templates": synthesized.templates, "nested_in": synthesized.nested_in,
             "messages": [[m.level, m.path, m.text] for m in synthesized.messages]}
    (synthesized.assembly_dir / _SAVED).write_text(json.dumps(saved))


def _load(assembly_dir: Path) -> Synthesized:
    saved = json.loads((assembly_dir / _SAVED).read_text())
    templates: dict[str, dict[str, Any]] = saved["templates"]
    return Synthesized(Template.from_json(templates[STACK_NAME]), templates,
                       [Message(*message) for message in saved["messages"]], assembly_dir,
                       {path: (parent, logical_id) for path, (parent, logical_id) in saved["nested_in"].items()})


def synthesize(outdir: Path) -> Synthesized:
    """The app as the manifest declares it now (tests that change the declarations synthesize their own)."""
    # Collect nag errors as messages (tests assert on them) instead of failing the synth.
    app = build_app(outdir=str(outdir), nag=True, context={"@aws-cdk/core:failSynthOnValidationErrors": False})
    app.synth()
    stack = app.node.find_child(STACK_NAME)
    assert isinstance(stack, Stack)
    nested = [c for c in stack.node.find_all() if isinstance(c, NestedStack)]
    files = {stack.node.path: stack.template_file, **{n.node.path: n.template_file for n in nested}}
    templates = {path: json.loads((outdir / name).read_text()) for path, name in files.items()}
    nested_in = {n.node.path: (n.nested_stack_parent.node.path if n.nested_stack_parent else STACK_NAME,
                               str(Stack.of(n.nested_stack_resource).resolve(n.nested_stack_resource.logical_id)))
                 for n in nested if n.nested_stack_resource}
    return Synthesized(Template.from_json(templates[STACK_NAME]), templates, _messages(outdir, stack.artifact_id),
                       outdir, nested_in)
