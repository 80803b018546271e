"""The Atrium CDK app: builds AWS from the declarations in ``atrium.manifest``."""
