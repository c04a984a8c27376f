/**
 * The dashboard's script: one self-contained function, typed against the DOM and checked by tsc like
 * the rest, served as its own source text (`/app.js`), so there is no bundler and no build step. It
 * must therefore use nothing from outside its body at run time (types are fine: they are erased).
 * It reads the emulator's state from the dashboard's JSON endpoints, and delivered files straight
 * from the emulator.
 */
import type { fileView, folderView, jobsView, playgroundView, requestsView, summaryView } from './views.js';

type Json<F extends (...args: never[]) => unknown> = Awaited<ReturnType<F>>;
type FolderView = Json<typeof folderView>;
type FileView = Json<typeof fileView>;
type PlaygroundView = Json<typeof playgroundView>;
type RequestsView = Json<typeof requestsView>;
type JobsView = Json<typeof jobsView>;
type SummaryView = Json<typeof summaryView>;

export function dashboardApp(): void {
  type Child = Node | string | null | undefined | false;
  type Attributes = Record<string, string | number | boolean | undefined>;

  /** What an <img> sends, so that the playground's `f-auto` chooses the format a page would get. */
  const IMAGE_ACCEPT = 'image/avif,image/webp,image/apng,image/*,*/*;q=0.8';
  const REFRESH_MS = 2000;
  const main = document.getElementById('main')!;
  let refreshTimer: number | undefined;
  let playgroundImage: string | undefined;

  const present = (children: Child[]) => children.filter((child): child is Node | string => child !== null && child !== undefined && child !== false && child !== '');

  /** An element with attributes and children; text always goes in as text, never as markup. */
  function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (value !== undefined && value !== false) element.setAttribute(name, value === true ? '' : String(value));
    }
    element.append(...present(children));
    return element;
  }

  async function getJson<T>(path: string): Promise<T> {
    const response = await fetch(path, { headers: { accept: 'application/json' } });
    const body = (await response.json()) as T & { message?: string };
    if (!response.ok) throw new Error(body.message ?? `The dashboard answered ${response.status}.`);
    return body;
  }

  const query = (values: Record<string, string>) => new URLSearchParams(values).toString();
  const size = (bytes: number) => (bytes < 1024 ? `${bytes} B` : bytes < 1048576 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1048576).toFixed(1)} MB`);
  const dimensions = (width?: number | null, height?: number | null) => (width && height ? `${width} × ${height}` : '');
  const clock = (ms: number) => new Date(ms).toLocaleTimeString();
  const folderOf = (filePath: string) => filePath.slice(0, filePath.lastIndexOf('/')) || '/';

  function show(title: string, ...content: Child[]): void {
    main.replaceChildren(h('h1', {}, title), ...present(content));
    document.title = `${title} · ImageKit emulator`;
  }

  function facts(rows: Array<[string, Child]>): HTMLDListElement {
    const list = h('dl', { class: 'facts' });
    for (const [term, value] of rows) if (present([value]).length > 0) list.append(h('dt', {}, term), h('dd', {}, value));
    return list;
  }

  function table(caption: string, headings: string[], rows: HTMLTableRowElement[]): HTMLTableElement {
    return h('table', {}, h('caption', {}, caption), h('thead', {}, h('tr', {}, ...headings.map((heading) => h('th', { scope: 'col' }, heading)))), h('tbody', {}, ...rows));
  }

  const cells = (...values: Child[]) => values.map((value) => h('td', {}, value));
  const json = (value: unknown) => h('pre', {}, JSON.stringify(value, null, 2));
  const section = (title: string, ...content: Child[]) => h('section', {}, h('h2', {}, title), ...content);

  /**
   * Runs `render` now, and again every few seconds while the view is shown (it redraws only what
   * changed, so that a reader's place is kept). A refresh that fails leaves the view as it was.
   */
  async function keepFresh(render: () => Promise<void>): Promise<void> {
    await render();
    refreshTimer = window.setInterval(() => render().catch(() => undefined), REFRESH_MS);
  }

  /** Whether `data` differs from what `holder` shows; marks it shown. */
  function changed(holder: HTMLElement, data: string): boolean {
    if (holder.dataset.shown === data) return false;
    holder.dataset.shown = data;
    return true;
  }

  async function library(params: URLSearchParams): Promise<void> {
    const folder = await getJson<FolderView>(`/api/folder?${query({ path: params.get('folder') ?? '/' })}`);
    const parts = folder.path === '/' ? [] : folder.path.slice(1).split('/');
    const crumbs = h(
      'nav',
      { class: 'crumbs', 'aria-label': 'Folder' },
      h('ol', {}, ...['/', ...parts].map((part, i) => {
        const path = i === 0 ? '/' : `/${parts.slice(0, i).join('/')}`;
        const label = i === 0 ? 'Root' : part;
        return h('li', {}, i === parts.length ? h('span', { 'aria-current': 'location' }, label) : h('a', { href: `#/files?${query({ folder: path })}` }, label));
      })),
    );
    const tiles = [
      ...folder.folders.map((sub) =>
        h('li', { class: 'tile' }, h('a', { href: `#/files?${query({ folder: sub.path })}` }, h('span', { class: 'folder-icon', 'aria-hidden': 'true' }), h('span', { class: 'name' }, sub.name), h('span', { class: 'meta' }, 'folder'))),
      ),
      ...folder.files.map((file) => {
        const picture = file.thumbnailUrl
          ? h('img', { class: 'thumb', src: file.thumbnailUrl, alt: '', width: 160, height: 160 })
          : h('span', { class: 'placeholder', 'aria-hidden': 'true' }, file.isPublished ? file.format.toUpperCase() || 'FILE' : 'unpublished');
        const meta = [dimensions(file.width, file.height), file.format, size(file.size)].filter(Boolean).join(' · ');
        return h('li', { class: 'tile' }, h('a', { href: `#/file?${query({ id: file.fileId })}` }, picture, h('span', { class: 'name' }, file.name), h('span', { class: 'meta' }, meta, file.isPrivateFile && h('span', { class: 'badge' }, 'private'), !file.isPublished && h('span', { class: 'badge' }, 'unpublished'))));
      }),
    ];
    const shown = folder.files.length < folder.fileCount ? ` (the first ${folder.files.length} shown)` : '';
    show(
      'Library',
      crumbs,
      h('p', { class: 'muted' }, `${folder.folders.length} folders, ${folder.fileCount} files${shown}. Thumbnails are delivered by the emulator with tr:w-160,h-160.`),
      tiles.length > 0 ? h('ul', { class: 'grid' }, ...tiles) : h('p', {}, 'This folder is empty.'),
    );
  }

  async function details(params: URLSearchParams): Promise<void> {
    const view = await getJson<FileView>(`/api/file?${query({ id: params.get('id') ?? '' })}`);
    const file = view.details;
    const folder = folderOf(file.filePath);
    const yesNo = (value: boolean) => (value ? 'yes' : 'no');
    const customMetadata = Object.entries(file.customMetadata);
    show(
      file.name,
      h('p', {}, h('a', { href: `#/files?${query({ folder })}` }, `Back to ${folder}`)),
      h(
        'div',
        { class: 'file-layout' },
        view.previewUrl ? h('img', { class: 'preview', src: view.previewUrl, alt: `${file.name}, within 480 × 360` }) : h('p', { class: 'placeholder preview' }, file.isPublished ? 'Not an image' : 'Unpublished: delivery answers 404'),
        h(
          'section',
          {},
          h('h2', {}, 'Details'),
          facts([
            ['URL', h('a', { href: view.url, class: 'mono' }, view.url)],
            ['File ID', file.fileId],
            ['Path', file.filePath],
            ['Type', `${file.fileType} (${file.mime})`],
            ['Size', size(file.size)],
            ['Dimensions', dimensions(file.width, file.height)],
            ['Private', yesNo(file.isPrivateFile)],
            ['Published', yesNo(file.isPublished)],
            ['Description', file.description],
            ['Custom coordinates', file.customCoordinates],
            ['Created', file.createdAt],
            ['Updated', file.updatedAt],
          ]),
          view.previewUrl && h('p', {}, h('a', { href: `#/playground?${query({ path: file.filePath, tr: 'w-400,h-300' })}` }, 'Try transformations on it')),
        ),
      ),
      section(
        'Tags',
        file.tags?.length ? h('ul', { class: 'tags' }, ...file.tags.map((tag) => h('li', {}, tag))) : h('p', { class: 'muted' }, 'No tags.'),
        file.AITags?.length ? h('p', {}, `AI tags: ${file.AITags.map((tag) => tag.name).join(', ')}`) : null,
      ),
      section(
        'Custom metadata',
        customMetadata.length > 0
          ? table('Values of the custom metadata fields', ['Field', 'Value'], customMetadata.map(([name, value]) => h('tr', {}, ...cells(name, JSON.stringify(value)))))
          : h('p', { class: 'muted' }, 'No custom metadata.'),
      ),
      section(
        'Versions',
        table(
          `${view.versions.length} versions, newest first`,
          ['Version', 'Version ID', 'Size', 'Dimensions', 'Updated'],
          view.versions.map((version) => h('tr', {}, ...cells(version.current ? `${version.versionName} (current)` : version.versionName, h('code', {}, version.versionId), size(version.size), dimensions(version.width, version.height), version.updatedAt))),
        ),
      ),
      section('Embedded metadata', view.metadata ? json(view.metadata) : h('p', { class: 'muted' }, 'None: not an image.')),
    );
  }

  async function playground(params: URLSearchParams): Promise<void> {
    const paths = await getJson<string[]>('/api/images');
    const pathInput = h('input', { id: 'playground-path', name: 'path', list: 'playground-paths', value: params.get('path') ?? paths[0] ?? '', autocomplete: 'off', spellcheck: 'false', required: true });
    const transformationInput = h('input', { id: 'playground-tr', name: 'tr', value: params.get('tr') ?? 'w-400,h-300', placeholder: 'w-400,h-300,...', autocomplete: 'off', spellcheck: 'false' });
    const result = h('div', { class: 'result', 'aria-live': 'polite' });
    const form = h(
      'form',
      { class: 'playground' },
      h('label', { for: 'playground-path' }, 'File', pathInput),
      h('label', { for: 'playground-tr' }, 'Transformation', transformationInput),
      h('button', { type: 'submit' }, 'Show'),
      h('datalist', { id: 'playground-paths' }, ...paths.map((path) => h('option', { value: path }))),
    );
    show('Transformation playground', h('p', { class: 'muted' }, 'Type a transformation as in a URL (w-400,h-300,f-webp:rt-90) and see what the emulator delivers.'), form, result);

    let latest = 0;
    async function render(): Promise<void> {
      const ticket = ++latest;
      const values = { path: pathInput.value, tr: transformationInput.value.trim() };
      history.replaceState(null, '', `#/playground?${query(values)}`);
      const view = await getJson<PlaygroundView>(`/api/url?${query(values)}`);
      const response = await fetch(view.url, { headers: { accept: IMAGE_ACCEPT } });
      const body = await response.blob();
      if (ticket !== latest) return;
      const where = [
        section('URL', h('p', {}, h('a', { href: view.url, class: 'mono', id: 'playground-url' }, view.url))),
        section('The same URL from the command line', h('pre', { id: 'playground-command' }, view.command), view.signed ? h('p', { class: 'muted' }, 'A private file: the command signs with IMAGEKIT_PRIVATE_KEY, the emulator\'s key.') : null),
      ];
      if (!response.ok) {
        const text = await body.text();
        const message = body.type.includes('json') ? (JSON.parse(text) as { message?: string }).message : text;
        result.replaceChildren(h('p', { class: 'error', role: 'alert' }, `The emulator answered ${response.status}: ${message ?? ''}`), ...where);
        return;
      }
      if (playgroundImage) URL.revokeObjectURL(playgroundImage);
      playgroundImage = URL.createObjectURL(body);
      const image = h('img', { id: 'playground-image', src: playgroundImage, alt: `${values.path} delivered with ${values.tr || 'no transformation'}` });
      await image.decode();
      if (ticket !== latest) return;
      result.replaceChildren(
        h('figure', {}, image),
        facts([
          ['Size', h('span', { id: 'playground-size' }, `${image.naturalWidth} × ${image.naturalHeight} px`)],
          ['Bytes', size(body.size)],
          ['Format', h('span', { id: 'playground-format' }, body.type)],
          ['Not applied', response.headers.get('x-emulator-skipped') ?? 'nothing skipped'],
          ['Emulator cache', response.headers.get('x-emulator-cache') ?? ''],
        ]),
        ...where,
      );
    }
    const renderShowingErrors = () => render().catch((error: Error) => result.replaceChildren(h('p', { class: 'error', role: 'alert' }, error.message)));
    let typing: number | undefined;
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      window.clearTimeout(typing);
      void renderShowingErrors();
    });
    form.addEventListener('input', () => {
      window.clearTimeout(typing);
      typing = window.setTimeout(renderShowingErrors, 500);
    });
    if (pathInput.value) await renderShowingErrors();
  }

  const FAULT_LABELS: Record<string, string> = { reset: 'connection dropped', error: 'injected error', 'rate limit': 'rate limited' };

  async function requestLog(): Promise<void> {
    const body = h('div');
    show('Requests', body);
    await keepFresh(async () => {
      const [log, summary] = await Promise.all([getJson<RequestsView>('/api/requests?limit=200'), getJson<SummaryView>('/api/summary')]);
      if (!changed(body, JSON.stringify([log.total, log.requests.slice(0, 20).map((r) => r.status), summary.settings]))) return;
      const { failRate, resetRate, rateLimit, latencyMs } = summary.settings;
      const faults = `Faults now: fail rate ${failRate}, reset rate ${resetRate}, rate limit ${rateLimit ? `${rateLimit.limit} per ${rateLimit.intervalMs} ms` : 'none'}, latency ${latencyMs} ms.`;
      const rows = log.requests.map((request) => {
        const target = request.path + (Object.keys(request.query).length > 0 ? `?${query(request.query)}` : '');
        const sent = request.fields ?? request.body;
        const status = request.status === undefined ? 'pending' : request.status === 0 ? 'none' : String(request.status);
        return h(
          'tr',
          { class: request.fault ? 'fault' : undefined },
          ...cells(
            clock(request.at),
            request.method,
            h('span', { class: 'mono' }, target),
            h('span', { class: request.status !== undefined && request.status < 400 && request.status > 0 ? 'status-ok' : undefined }, status),
            request.fault ? h('span', { class: 'fault-label' }, FAULT_LABELS[request.fault] ?? request.fault) : '',
            sent === undefined ? '' : h('details', {}, h('summary', {}, request.fields ? 'form fields' : 'JSON body'), json(sent)),
          ),
        );
      });
      body.replaceChildren(
        h('p', { class: 'muted' }, `API and upload calls, newest first: ${log.requests.length} of the ${log.total} recorded (delivery is not recorded). ${faults}`),
        rows.length > 0 ? table('Recent requests', ['Time', 'Method', 'Path', 'Status', 'Fault', 'Sent'], rows) : h('p', {}, 'No requests yet.'),
      );
    });
  }

  async function jobs(): Promise<void> {
    const body = h('div');
    show('Jobs and purges', body);
    await keepFresh(async () => {
      const view = await getJson<JobsView>('/api/jobs');
      if (!changed(body, JSON.stringify(view))) return;
      body.replaceChildren(
        section(
          'Bulk jobs',
          view.jobs.length > 0
            ? table('Folder copies, moves and renames, newest first', ['Job ID', 'Type', 'Status', 'Parameters', 'Due'], view.jobs.map((job) => h('tr', {}, ...cells(h('code', {}, job.jobId), job.type, job.error ? `${job.status}: ${job.error}` : job.status, h('code', {}, JSON.stringify(job.params)), clock(job.completeAt)))))
            : h('p', { class: 'muted' }, 'No bulk jobs yet.'),
        ),
        section(
          'Purges',
          view.purges.length > 0
            ? table('CDN purge requests, newest first', ['Request ID', 'URL', 'Status', 'Due'], view.purges.map((purge) => h('tr', {}, ...cells(h('code', {}, purge.requestId), h('span', { class: 'mono' }, purge.url), purge.status, clock(purge.completeAt)))))
            : h('p', { class: 'muted' }, 'No purges yet.'),
        ),
      );
    });
  }

  const VIEWS: Record<string, { section: string; show(params: URLSearchParams): Promise<void> }> = {
    '/files': { section: '#/files', show: library },
    '/file': { section: '#/files', show: details },
    '/playground': { section: '#/playground', show: playground },
    '/requests': { section: '#/requests', show: requestLog },
    '/jobs': { section: '#/jobs', show: jobs },
  };

  function route(): void {
    window.clearInterval(refreshTimer);
    const [path = '', search = ''] = location.hash.slice(1).split('?');
    const view = VIEWS[path] ?? VIEWS['/files']!;
    for (const link of document.querySelectorAll('header nav a')) {
      if (link.getAttribute('href') === view.section) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    view.show(new URLSearchParams(search)).catch((error: Error) => show('Something went wrong', h('p', { class: 'error', role: 'alert' }, error.message)));
  }

  window.addEventListener('hashchange', () => {
    route();
    main.focus();
  });
  getJson<SummaryView>('/api/summary').then(
    (summary) => (document.getElementById('endpoint')!.textContent = summary.urlEndpoint),
    () => undefined,
  );
  route();
}
