"""CDK entry: ``cdk synth`` (via cdk.json) or ``python infra/app.py [--output DIR]``.

Run directly, the app reads the context from cdk.json itself, so both ways build the same
template. ``-c atrium:nag=true`` (or ``"atrium:nag": true``) adds the cdk-nag AwsSolutions checks.
"""

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

# `python infra/app.py` puts infra/ first on sys.path, where infra/constructs would shadow the
# `constructs` library: import from the repository root instead.
ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [str(ROOT), *(p for p in sys.path if Path(p or ".").resolve() != ROOT / "infra")]
# jsii silences the warning for the node major versions listed (not for "1"); this
# environment runs node 20.
_SILENCE = "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION"
if "20" not in os.environ.get(_SILENCE, "").split(","):
    os.environ[_SILENCE] = ",".join(filter(None, [os.environ.get(_SILENCE), "20"]))

from aws_cdk import App, Aspects, Environment, Tags  # noqa: E402
from cdk_nag import AwsSolutionsChecks  # noqa: E402

from infra.config import AtriumConfig  # noqa: E402
from infra.declarations import Declarations  # noqa: E402
from infra.paths import CDK_JSON  # noqa: E402
from infra.stacks.atrium import AtriumStack  # noqa: E402

STACK_NAME = "Atrium"


def cdk_json_context() -> dict[str, Any]:
    context: dict[str, Any] = json.loads(CDK_JSON.read_text())["context"]
    return context


def build_app(*, outdir: str | None = None, context: dict[str, Any] | None = None,
              nag: bool | None = None) -> App:
    """The app with the Atrium stack. cdk.json's context is the default (the CLI's context,
    when run by the CLI, takes precedence over it); ``context`` overrides both."""
    app = App(outdir=outdir, context=cdk_json_context(), post_cli_context=context)
    config = AtriumConfig.from_context(app.node)
    AtriumStack(app, STACK_NAME, config=config, declarations=Declarations.from_manifest(),
                env=Environment(account=os.environ.get("CDK_DEFAULT_ACCOUNT"),
                                region=os.environ.get("CDK_DEFAULT_REGION")))
    Tags.of(app).add("project", "atrium")
    Tags.of(app).add("atrium:stage", config.stage)
    if nag is None:
        nag = str(app.node.try_get_context("atrium:nag")).lower() == "true"
    if nag:
        Aspects.of(app).add(AwsSolutionsChecks(verbose=True))
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-o", "--output", help="cloud assembly directory (default: $CDK_OUTDIR or ./cdk.out)")
    args = parser.parse_args()
    # Without an outdir (and outside the CLI, which sets CDK_OUTDIR) CDK would use a temp dir.
    build_app(outdir=args.output or os.environ.get("CDK_OUTDIR") or str(ROOT / "cdk.out")).synth()


if __name__ == "__main__":
    main()
