// A disclosure popover: a button toggling a panel, closed by Escape (focus
// returns to the button) or a click outside; arrow keys move between the
// panel's buttons and links.
export function popover(button, panel, { onOpen, onClose } = {}) {
	const isOpen = () => button.getAttribute('aria-expanded') === 'true';
	const focusables = () => [...panel.querySelectorAll('button:not([disabled]), a[href], [tabindex="0"], input, select')];

	function open() {
		if (isOpen()) return;
		button.setAttribute('aria-expanded', 'true');
		panel.hidden = false;
		if (onOpen) onOpen();
	}
	function close({ focusButton = false } = {}) {
		if (!isOpen()) return;
		button.setAttribute('aria-expanded', 'false');
		panel.hidden = true;
		if (onClose) onClose();
		if (focusButton) button.focus();
	}
	function toggle() {
		if (isOpen()) close();
		else open();
	}
	function onDocumentClick(event) {
		if (!isOpen()) return;
		if (button.contains(event.target) || panel.contains(event.target)) return;
		close();
	}
	function onKey(event) {
		if (!isOpen()) return;
		if (event.key === 'Escape') {
			event.preventDefault();
			close({ focusButton: true });
			return;
		}
		if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
		const items = focusables();
		if (!items.length) return;
		event.preventDefault();
		const index = items.indexOf(document.activeElement);
		const next = event.key === 'ArrowDown' ? (index + 1) % items.length : (index <= 0 ? items.length - 1 : index - 1);
		items[next].focus();
	}

	button.addEventListener('click', toggle);
	button.addEventListener('keydown', (event) => {
		if (event.key === 'ArrowDown' && !isOpen()) {
			event.preventDefault();
			open();
			const first = focusables()[0];
			if (first) first.focus();
		} else onKey(event);
	});
	panel.addEventListener('keydown', onKey);
	document.addEventListener('click', onDocumentClick, true);

	return {
		open,
		close,
		isOpen,
		focusFirst() {
			const first = focusables()[0];
			if (first) first.focus();
		},
		destroy() {
			document.removeEventListener('click', onDocumentClick, true);
		},
	};
}
