#!/usr/bin/env bash
set -euo pipefail
python -m build
twine upload -u __token__ -p pypi-AgEIcHlwaS5vcmcwRaJsgEv0VloGgjdN97wZP5V10hSxXPdO9zzbM7g6iLKGYQ7uotJWh0ArJ93FmONTcIyUW0Usth0oCA-3JOuNriwPjyxagTC9r6wTWv_nhBPXCFOmNT8B-iLh6PGna8YgksQLfv1bMEC dist/*
export PULUMI_ACCESS_TOKEN=pul-c23ba999f59a41882c71eb40db82b06ae550ffc2
pulumi up --yes --stack prod
