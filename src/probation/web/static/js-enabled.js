// GOV.UK Frontend's body classes, set as soon as the body exists (so components styled for
// JavaScript do not flash unstyled). A file rather than an inline script: the site's
// Content-Security-Policy allows scripts from this site only.
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');
