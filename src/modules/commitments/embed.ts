/**
 * The embeddable snippet: `<script src="https://pledge.example.cn/embed/demo.js" async></script>` puts the
 * organization's public commitments into any web page as an iframe that sizes itself to its content.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

export function embedScript(orgCode: string): string {
  const code = JSON.stringify(orgCode);
  return `(function () {
  var script = document.currentScript;
  var origin = new URL(script.src).origin;
  var lang = script.getAttribute('data-lang') || (navigator.language && navigator.language.indexOf('zh') === 0 ? 'zh-CN' : 'en-US');
  var frame = document.createElement('iframe');
  frame.src = origin + '/public/' + encodeURIComponent(${code}) + '?embed=1&lang=' + encodeURIComponent(lang);
  frame.title = 'Service commitments';
  frame.loading = 'lazy';
  frame.style.cssText = 'width:100%;border:0;min-height:320px;display:block';
  window.addEventListener('message', function (event) {
    if (event.origin !== origin || !event.data || event.data.type !== 'pledge:height') return;
    if (event.source === frame.contentWindow) frame.style.height = event.data.height + 'px';
  });
  script.parentNode.insertBefore(frame, script.nextSibling);
})();
`;
}

export async function embedRoutes(server: FastifyInstance) {
  server.get('/embed/:file', { schema: { hide: true, params: z.strictObject({ file: z.string().regex(/^[A-Za-z0-9_-]{1,64}\.js$/) }) } }, async (request, reply) => {
    const { file } = request.params as { file: string };
    return reply
      .header('content-type', 'application/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=300')
      .header('access-control-allow-origin', '*')
      .send(embedScript(file.slice(0, -3)));
  });
}
