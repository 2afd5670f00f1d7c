// 共享 of the large card (R6.5): the members the contact is shared with; those who may
// edit add and remove them (PUT /contacts/{id}/shares, the whole list).
import { h } from './dom.js';
import { request, contactPath } from './api.js';
import { memberLabel } from './format.js';
import { memberPicker } from './member-picker.js';
import { memberList } from './card-permissions.js';

/** ui: the card's context (contact-card.js). */
export function createSharesTab(ui) {
	const { ctx, tr, errorText, card, panels } = ui;
	const shareError = h('p', { class: 'ec-form-error', role: 'alert' });
	const picker = memberPicker(tr, 'ec-share-pick', {
		search: ui.searchMembers,
		errorText: (error) => errorText(error),
		chosen: () => (card.shares && !card.shares.error ? (card.shares.members || []).map((member) => member.id) : []),
		async onAdd(member) {
			const members = card.shares.members || [];
			if (members.some((other) => String(other.id) === String(member.id))) {
				picker.setError(tr('members.already'));
				return false;
			}
			const ok = await putShares([...members.map((other) => Number(other.id)), Number(member.id)], (saved) => {
				const added = (saved.members || []).find((other) => String(other.id) === String(member.id));
				return tr('share.added', { name: added ? added.displayName : memberLabel(member) });
			});
			if (ok) picker.input.focus();
			return ok;
		},
	});

	async function putShares(ids, noticeFor) {
		if (card.busy) return false;
		card.busy = true;
		shareError.textContent = '';
		picker.setError('');
		picker.setDisabled(true);
		let saved = null;
		try {
			saved = await request(ctx, 'PUT', contactPath(card.contact.id, '/shares'), { members: ids });
		} catch (error) {
			if (ui.isDestroyed() || error.status === 401) return false;
			if (error.code === 'validation_failed' && error.field === 'members') picker.setError(errorText(error, { fields: { members: tr('members.invalid') } }));
			else shareError.textContent = error.status === 403 ? tr('edit.forbidden') : error.status === 404 ? tr('card.notFound') : errorText(error);
			return false;
		} finally {
			card.busy = false;
			picker.setDisabled(false);
		}
		if (ui.isDestroyed()) return false;
		card.shares = saved;
		render();
		ui.notice.textContent = noticeFor(saved);
		ui.history.refresh();
		return true;
	}

	function render() {
		const data = ui.tabData('shares');
		if (!data) return;
		const panel = panels.shares;
		const editable = card.editable;
		const members = data.members || [];
		ui.appendTo(panel,
			h('h3', { id: 'ec-share-title', class: 'ec-panel-title' }, tr('share.members')),
			h('p', { class: 'ec-hint' }, tr('share.hint')),
			memberList(tr, 'ec-share-members', 'ec-share-title', members, {
				onRemove: editable ? async (member) => {
					const ok = await putShares(members.filter((other) => String(other.id) !== String(member.id)).map((other) => Number(other.id)),
						() => tr('share.removed', { name: memberLabel(member) }));
					if (ok) picker.input.focus();
				} : null,
			}),
			editable ? picker.element : null,
			shareError);
	}

	return {
		render,
		destroy() {
			picker.destroy();
		},
	};
}
