import { createElement } from 'lwc';
import CoworkerMarkdown, { parseMarkdown } from '../coworkerMarkdown';
import { flushPromises, resetDom } from '@resident/jest-utils';

function mount(text: string): HTMLElement {
    const element = createElement('c-coworker-markdown', { is: CoworkerMarkdown });
    Object.assign(element, { text });
    document.body.appendChild(element);
    return element;
}

describe('c-coworker-markdown', () => {
    afterEach(resetDom);

    it('shows bold, italics, code, headings and lists with real elements', async () => {
        const element = mount(
            '## Accounts\nYou have **2 accounts** and *one* `Case`.\n\n- Acme\n- Globex\n\n1. First\n2. Second\n\n```\nSELECT Name FROM Account\n```'
        );
        await flushPromises();
        const root = element.shadowRoot!;
        expect(root.querySelector('p.slds-text-heading_small')!.textContent).toBe('Accounts');
        expect(root.querySelector('strong')!.textContent).toBe('2 accounts');
        expect(root.querySelector('em')!.textContent).toBe('one');
        expect(root.querySelector('p code')!.textContent).toBe('Case');
        expect([...root.querySelectorAll('ul li')].map((li) => li.textContent)).toEqual([
            'Acme',
            'Globex'
        ]);
        expect(root.querySelectorAll('ol li')).toHaveLength(2);
        expect(root.querySelector('pre code')!.textContent).toBe('SELECT Name FROM Account');
        await expect(element).toBeAccessible();
    });

    it('shows HTML and script in a reply as text, never as markup', async () => {
        const element = mount(
            'Look: <img src=x onerror="alert(1)"> <script>alert(2)</script> **<b>bold</b>** [click](javascript:alert(3))'
        );
        await flushPromises();
        const root = element.shadowRoot!;
        expect(root.querySelector('img')).toBeNull();
        expect(root.querySelector('script')).toBeNull();
        expect(root.querySelector('b')).toBeNull();
        expect(root.querySelector('a')).toBeNull();
        expect(root.textContent).toContain('<img src=x onerror="alert(1)">');
        expect(root.textContent).toContain('click');
        expect(root.textContent).not.toContain('javascript:');
    });

    it('keeps underscores inside words (API names, snake_case) and italicises _only_ at word edges', () => {
        const [block] = parseMarkdown(
            'Set ANTHROPIC_API_KEY and Custom_Field__c, then read _this_ and __that__.'
        );
        expect(block!.spans.map((s) => s.text).join('')).toBe(
            'Set ANTHROPIC_API_KEY and Custom_Field__c, then read this and that.'
        );
        expect(block!.spans.filter((s) => s.isItalic).map((s) => s.text)).toEqual(['this']);
        expect(block!.spans.filter((s) => s.isBold).map((s) => s.text)).toEqual(['that']);
    });

    it('keeps an unclosed code fence (a reply still streaming) as code', () => {
        const blocks = parseMarkdown('Here:\n```\nline 1\nline 2');
        expect(blocks.at(-1)).toMatchObject({ isCode: true, code: 'line 1\nline 2' });
    });

    it('joins wrapped lines of a paragraph and separates paragraphs on blank lines', () => {
        const blocks = parseMarkdown('one\ntwo\n\nthree');
        expect(blocks.map((b) => b.spans.map((s) => s.text).join(''))).toEqual([
            'one two',
            'three'
        ]);
    });
});
