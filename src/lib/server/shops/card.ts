import QRCode from 'qrcode';

/** The address a duty card's QR code opens: the report page with the shop preselected. */
export function reportUrlForShop(origin: string, shopId: string): string {
	return `${origin}/report?shop=${encodeURIComponent(shopId)}`;
}

/** The QR code as an SVG drawing, made on the server (no script on the card). */
export function qrSvg(text: string): Promise<string> {
	return QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}
