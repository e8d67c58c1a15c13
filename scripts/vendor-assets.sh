#!/usr/bin/env bash
# Installs the GOV.UK Design System, MoJ Frontend and Swagger UI from npm and copies the built
# files the pages serve into the package's static folder (kept out of git). No package's install
# script runs: only their files are copied (swagger-ui-dist's dependency would otherwise try to
# report the install over the network).
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
dest=src/probation/web/static/vendor
rm -rf "$dest"
mkdir -p "$dest/govuk" "$dest/moj" "$dest/axe" "$dest/swagger-ui"
cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.css node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js "$dest/govuk/"
cp -r node_modules/govuk-frontend/dist/govuk/assets "$dest/govuk/assets"
cp node_modules/@ministryofjustice/frontend/moj/moj-frontend.min.css node_modules/@ministryofjustice/frontend/moj/moj-frontend.min.js "$dest/moj/"
cp -r node_modules/@ministryofjustice/frontend/moj/assets "$dest/moj/assets" 2>/dev/null || true
# The stylesheets were built to find fonts and images under /assets/; the pages serve them here.
sed -i 's#url(/assets/#url(/static/vendor/govuk/assets/#g' "$dest/govuk/govuk-frontend.min.css"
sed -i 's#url(/assets/#url(/static/vendor/moj/assets/#g' "$dest/moj/moj-frontend.min.css"
cp node_modules/axe-core/axe.min.js "$dest/axe/"
cp node_modules/swagger-ui-dist/swagger-ui.css node_modules/swagger-ui-dist/swagger-ui-bundle.js \
   node_modules/swagger-ui-dist/LICENSE "$dest/swagger-ui/"
touch "$dest/.installed"
echo "front-end assets installed in $dest"
