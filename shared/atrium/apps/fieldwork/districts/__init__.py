"""Water districts: where test reports are submitted, and how often their assemblies are tested."""
