"""App-level settings: layers, config validation, stack size."""

from pathlib import Path
from typing import Any

import pytest

from atrium import manifest
from infra.config import AtriumConfig
from infra.constructs import layers
from infra.paths import LAYERS_DIR

CLOUDFORMATION_RESOURCE_LIMIT = 500


def test_layers_are_built_for_python312_x86_64(synthesized: Any) -> None:
    found = synthesized.resources("AWS::Lambda::LayerVersion")
    assert len(found) == 4  # deps, domain and the dependency groups pdf and plugins
    for layer in found:
        assert layer.properties["CompatibleRuntimes"] == ["python3.12"]
        assert layer.properties["CompatibleArchitectures"] == ["x86_64"]


def test_missing_layer_says_how_to_build_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(layers, "LAYERS_DIR", tmp_path)
    with pytest.raises(FileNotFoundError, match="make layers"):
        layers.layer_dir("deps")


def test_every_template_stays_under_the_resource_limit(synthesized: Any) -> None:
    for path, template in synthesized.templates.items():
        assert len(template["Resources"]) < CLOUDFORMATION_RESOURCE_LIMIT, path


def config(**overrides: Any) -> AtriumConfig:
    values: dict[str, Any] = {"stage": "dev", "mail_from": "no-reply@example.com", "sender_domain": "example.com",
                              "log_retention_name": "ONE_MONTH", "api_rate_limit": 10, "api_burst_limit": 20}
    return AtriumConfig(**{**values, **overrides})


def test_config_rejects_a_sender_outside_the_domain() -> None:
    assert config().sender_domain == "example.com"
    with pytest.raises(ValueError, match="mailFrom"):
        config(mail_from="no-reply@other.example")


def test_config_rejects_an_unknown_retention() -> None:
    with pytest.raises(ValueError, match="logRetention"):
        config(log_retention_name="FORTNIGHT")


def test_layers_ship_the_runtimes_bytecode_and_no_other(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from aws_cdk import App, Stack

    for name in ("deps", "domain"):
        cache = tmp_path / "layers" / name / "python" / "pkg" / "__pycache__"
        cache.mkdir(parents=True)
        (cache.parent / "mod.py").write_text(f"LAYER = {name!r}\n")  # two layers, two assets
        for tag in ("cpython-312", "cpython-311"):
            (cache / f"mod.{tag}.pyc").write_bytes(b"")
    monkeypatch.setattr(layers, "LAYERS_DIR", tmp_path / "layers")
    app = App(outdir=str(tmp_path / "out"))
    layers.Layers(Stack(app, "Probe"), "Layers")
    assembly = app.synth()
    staged = sorted(path.relative_to(assembly.directory).as_posix().split("/", 1)[1]
                    for path in Path(assembly.directory).glob("asset.*/**/*") if path.is_file())
    assert staged == sorted(["python/pkg/__pycache__/mod.cpython-312.pyc", "python/pkg/mod.py"] * 2)


def test_a_dependency_group_layer_goes_only_to_the_functions_declaring_it(synthesized: Any) -> None:
    """The PDF stack (fpdf2, Pillow, fontTools) goes to the job kinds that declare it (the proofs certificate, the
    fieldwork district submission, monthly summary and invoice), the WebAssembly runtime to the plugin install
    and scan jobs and the plugin runner; every other function carries only the deps and domain layers."""
    carried: dict[str, list[str]] = {}
    for function in synthesized.resources("AWS::Lambda::Function"):
        if "Layers" not in function.properties:
            continue  # CDK's own helper functions
        variables = function.properties["Environment"]["Variables"]
        name = (variables.get("ATRIUM_CONSUMER") or variables.get("ATRIUM_ROUTE") or variables.get("ATRIUM_RUNNER")
                or function.logical_id)
        resolved = [synthesized.resolve(function.stack, layer) for layer in function.properties["Layers"]]
        carried[name] = sorted(layer.properties["Description"].split(" (")[0] for layer in resolved)
    every = ["Atrium domain package", "Atrium runtime dependencies"]
    rendering = {f"jobs.{kind.name}" for kind in manifest.job_kinds() if "pdf" in kind.layers}
    assert {"jobs.proofs.render_certificate", "jobs.fieldwork.send_submission"} <= rendering
    for renders_pdf in rendering:
        assert carried.pop(renders_pdf) == sorted([*every, "Atrium dependency group pdf"])
    for runs_plugins in ("jobs.plugins.install", "jobs.plugins.scan_submission", "plugins.run_hook"):
        assert carried.pop(runs_plugins) == sorted([*every, "Atrium dependency group plugins"])
    assert carried and all(layers == every for layers in carried.values())


def test_layers_hold_what_their_functions_import() -> None:
    """Built by layers/build.sh: the deps layer has no PDF stack nor WebAssembly runtime, their layers have them."""
    built = LAYERS_DIR
    assert not (built / "deps" / "python" / "fpdf").exists() and not (built / "deps" / "python" / "PIL").exists()
    assert (built / "pdf" / "python" / "fpdf").is_dir() and (built / "pdf" / "python" / "PIL").is_dir()
    assert not (built / "deps" / "python" / "wasmtime").exists()
    assert (built / "plugins" / "python" / "wasmtime").is_dir()


def test_the_layers_ship_only_what_runs_in_lambda() -> None:
    """The domain layer is the ``atrium`` package alone, without the contexts' ``testing.py`` (sample resources and
    requests for the tests and the bench): the local runtime (``atrium_local``: moto, the dev server, the CLI) and
    the tools of the local stack and the tests stay out of every layer."""
    domain = layers.layer_dir("domain") / "python"
    assert sorted(path.name for path in domain.iterdir()) == ["atrium"]
    assert not (domain / "atrium" / "local").exists()
    assert list(Path(manifest.__file__).parent.rglob("testing.py")), "no testing.py to leave out: a stale check"
    assert list(domain.rglob("testing.py")) == []
    shipped = {path.name.split("-")[0].lower() for path in LAYERS_DIR.glob("*/python/*.dist-info")}
    assert "fastapi" in shipped and "pynamodb" in shipped  # what the functions run
    assert not shipped & {"moto", "uvicorn", "typer", "httpx", "fastapi_offline", "pytest", "aws_cdk_lib",
                           "pydantic_settings"}
