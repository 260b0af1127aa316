#!/usr/bin/env python3
"""Convert saved news pages (bench/whole/pages/*.html) into plain text
(bench/whole/articles/*.txt) the way a user's "saved page" text would look.

Rules (independent of the project's extractor/cleaner):
  * drop <script>, <style>, <noscript>, <svg>, <template>, <iframe>, form
    controls, elements hidden with the `hidden` attribute or display:none;
  * find the article container: the element that holds most of the page's
    long paragraph text, widened to include the headline (<h1>) when the
    wider element adds little other paragraph text; site-wide <nav>,
    <header>, <footer> outside the container are thus never visited,
    <nav> is dropped everywhere;
  * inside the container, every block element (p, div, h1-h6, li, figcaption,
    blockquote, td, dt/dd, ...) and <br> ends a block; whitespace inside a
    block is collapsed; blocks are joined with one blank line;
  * the headline is the first block (moved there, or prepended if the
    container does not contain it);
  * text is kept verbatim otherwise (all quotation marks unchanged).
Per-page overrides (container XPath) are in OVERRIDES.
Usage: python make_text.py   (run from anywhere; deterministic)
"""
import os, re, sys, html as htmllib
from lxml import html as LH, etree

HERE = os.path.dirname(os.path.abspath(__file__))
PAGES = os.path.join(HERE, 'pages')
ARTICLES = os.path.join(HERE, 'articles')

# stem -> dict(container=XPath, headline=str)
OVERRIDES = {
    # the page's <h1> does not match og:title; the masthead before the story is dropped
    '017_technologyreview-com': {'headline': 'Who Owns the Biggest Biotech Discovery of the Century?',
                                 'drop_before_headline': True},
}

DROP = {'script', 'style', 'noscript', 'svg', 'template', 'iframe', 'input',
        'select', 'textarea', 'button', 'option', 'form', 'nav', 'object',
        'embed', 'canvas', 'video', 'audio', 'map', 'head', 'title', 'link',
        'meta', 'label'}
BLOCK = {'p', 'div', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'ul', 'ol',
         'blockquote', 'figure', 'figcaption', 'section', 'article', 'header',
         'footer', 'aside', 'table', 'tr', 'td', 'th', 'thead', 'tbody',
         'caption', 'dl', 'dt', 'dd', 'pre', 'address', 'hr', 'main', 'center',
         'fieldset', 'details', 'summary', 'tfoot'}
WS = re.compile(r'\s+')


def parse(text):
    parser = LH.HTMLParser(encoding='utf-8', remove_comments=True, remove_pis=True)
    return LH.document_fromstring(text.encode('utf-8'), parser=parser)


def tagname(el):
    t = el.tag
    if not isinstance(t, str):
        return ''
    return t.split('}')[-1].lower()


def hidden(el):
    if el.get('hidden') is not None:
        return True
    st = (el.get('style') or '').replace(' ', '').lower()
    return 'display:none' in st or 'visibility:hidden' in st


def clean(doc):
    for el in list(doc.iter()):
        if el.getparent() is None:
            continue
        t = tagname(el)
        if not t or t in DROP or hidden(el):
            el.drop_tree()


def ptext(el):
    return WS.sub(' ', el.text_content()).strip()


def long_p_total(el, cache={}):
    tot = 0
    for p in el.iter('p'):
        n = len(ptext(p))
        if n >= 40:
            tot += n
    return tot


def find_headline_el(doc, meta_title):
    h1s = [h for h in doc.iter('h1') if ptext(h)]
    if not h1s:
        return None
    mt = norm(meta_title)
    best, bs = None, -1
    for h in h1s:
        ht = norm(ptext(h))
        s = overlap(ht, mt) if mt else 0
        if best is None or s > bs:
            best, bs = h, s
    if mt and bs < 0.5:
        return None
    return best


def norm(s):
    return re.sub(r'\W+', ' ', (s or '').lower()).strip()


def overlap(a, b):
    A, B = set(a.split()), set(b.split())
    if not A or not B:
        return 0.0
    return len(A & B) / len(A)


def meta_title(doc):
    for xp in ('//meta[@property="og:title"]/@content', '//meta[@name="twitter:title"]/@content',
               '//meta[@property="twitter:title"]/@content', '//title/text()'):
        r = doc.xpath(xp)
        if r and r[0].strip():
            return WS.sub(' ', r[0]).strip()
    return ''


def choose_container(doc, h1):
    scores = {}
    for p in doc.iter('p'):
        n = len(ptext(p))
        if n < 40:
            continue
        par = p.getparent()
        if par is None:
            continue
        scores[par] = scores.get(par, 0) + n
        gp = par.getparent()
        if gp is not None:
            scores[gp] = scores.get(gp, 0) + n / 2.0
    if not scores:
        return doc.body if doc.body is not None else doc
    best = max(scores, key=lambda e: scores[e])
    base = long_p_total(best)
    # widen while the parent adds little extra paragraph text (captures split bodies)
    cur = best
    while True:
        par = cur.getparent()
        if par is None or tagname(par) in ('body', 'html'):
            break
        if long_p_total(par) <= base * 1.15 + 200:
            cur = par
            continue
        break
    best = cur
    base = long_p_total(best)
    if h1 is not None and not is_ancestor(best, h1):
        anc = lca(best, h1)
        if anc is not None and tagname(anc) not in ('html', 'body') and long_p_total(anc) <= base * 1.2 + 300:
            best = anc
    return best


def is_ancestor(a, b):
    e = b
    while e is not None:
        if e is a:
            return True
        e = e.getparent()
    return False


def lca(a, b):
    anc = set()
    e = a
    while e is not None:
        anc.add(e)
        e = e.getparent()
    e = b
    while e is not None:
        if e in anc:
            return e
        e = e.getparent()
    return None


def blocks_of(el, h1=None):
    out = []
    buf = []

    def flush():
        s = WS.sub(' ', ''.join(buf)).strip()
        if s:
            out.append(s)
        buf.clear()

    def walk(e):
        t = tagname(e)
        if t == 'br':
            flush()
        elif t == 'img':
            pass
        else:
            isblock = t in BLOCK
            if isblock:
                flush()
            if h1 is not None and e is h1:
                # everything before the headline inside the container is
                # masthead/kicker furniture: the text starts at the headline
                out.clear()
                buf.clear()
            if e.text:
                buf.append(e.text)
            for c in e:
                walk(c)
                if c.tail:
                    buf.append(c.tail)
            if isblock:
                flush()
    walk(el)
    flush()
    return out


def convert(text, override=None):
    override = override or {}
    doc = parse(text)
    mt = meta_title(doc)
    clean(doc)
    h1 = find_headline_el(doc, mt)
    if override.get('container'):
        cont = doc.xpath(override['container'])[0]
    else:
        cont = choose_container(doc, h1)
    blocks = blocks_of(cont, h1 if (h1 is not None and is_ancestor(cont, h1)) else None)
    headline = override.get('headline') or (ptext(h1) if h1 is not None else mt)
    hn = norm(headline)
    pos = None
    window = len(blocks) if override.get('drop_before_headline') else 8
    for i, b in enumerate(blocks[:window]):
        if norm(b) == hn:
            pos = i
            break
    if pos is None:
        blocks.insert(0, headline)
    elif pos > 0 and override.get('drop_before_headline'):
        blocks = blocks[pos:]
    elif pos > 0:
        blocks.insert(0, blocks.pop(pos))
    return '\n\n'.join(blocks) + '\n'


def main():
    os.makedirs(ARTICLES, exist_ok=True)
    for fn in sorted(os.listdir(PAGES)):
        if not fn.endswith('.html'):
            continue
        stem = fn[:-5]
        with open(os.path.join(PAGES, fn), encoding='utf-8') as f:
            text = f.read()
        out = convert(text, OVERRIDES.get(stem))
        with open(os.path.join(ARTICLES, stem + '.txt'), 'w', encoding='utf-8') as f:
            f.write(out)


if __name__ == '__main__':
    main()
