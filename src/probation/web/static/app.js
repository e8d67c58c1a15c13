// Starts the GOV.UK Frontend components of every page (error summary focus, header menu, skip
// link, buttons). Loaded as a module from base.html: no inline script under the site's CSP.
import { initAll } from '/static/vendor/govuk/govuk-frontend.min.js';

initAll();
