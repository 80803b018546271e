"""Where the Lambda code and layers live (absolute, so the app runs from any directory)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FUNCTIONS_DIR = ROOT / "functions"
LAYERS_DIR = ROOT / "build" / "layers"
CDK_JSON = ROOT / "cdk.json"
