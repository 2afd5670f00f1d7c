// The share card of the invitation landing page (R4.6): when the page
// carries a signed wx.config (WeChat configured), forwarding the page in
// WeChat shows title, description and icon. Without the JS-SDK (any other
// browser) this does nothing.
(function () {
	'use strict';
	var element = document.getElementById('wx-config');
	if (!element || typeof window.wx === 'undefined') return;
	var card;
	try {
		card = JSON.parse(element.textContent);
	} catch (e) {
		return;
	}
	window.wx.config({
		debug: false,
		appId: card.appId,
		timestamp: card.timestamp,
		nonceStr: card.nonceStr,
		signature: card.signature,
		jsApiList: ['updateAppMessageShareData', 'updateTimelineShareData'],
	});
	window.wx.ready(function () {
		var share = { title: card.title, desc: card.desc, link: card.link, imgUrl: card.imgUrl };
		window.wx.updateAppMessageShareData(share);
		window.wx.updateTimelineShareData({ title: card.title, link: card.link, imgUrl: card.imgUrl });
	});
})();
