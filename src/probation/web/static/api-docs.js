// Starts Swagger UI on the API documentation page (/docs). An external script, not an inline one:
// the site's Content-Security-Policy allows scripts from this site only.
const root = document.getElementById('swagger-ui');
if (root && window.SwaggerUIBundle) {
  window.ui = window.SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    domNode: root,
    deepLinking: true,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
  });
}
