/*
 * Photo compression in the browser: at most 1600 px on the long side, JPEG at about 0.8. A phone's
 * 4000×3000 photo leaves as a few hundred KB instead of several MB. Re-encoding through a canvas
 * also drops EXIF (the server strips it again anyway).
 */

export const MAX_LONG_SIDE = 1600;
export const JPEG_QUALITY = 0.8;

export function scaledSize(width: number, height: number, maxSide = MAX_LONG_SIDE) {
	const scale = Math.min(1, maxSide / Math.max(width, height));
	return { width: Math.round(width * scale), height: Math.round(height * scale) };
}

/** The compressed JPEG, or the original file when the browser cannot decode it. */
export async function compressImage(
	file: Blob,
	maxSide = MAX_LONG_SIDE,
	quality = JPEG_QUALITY
): Promise<Blob> {
	let bitmap: ImageBitmap;
	try {
		// Chromium, Firefox and Safari apply the EXIF orientation here.
		bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
	} catch {
		return file;
	}
	const { width, height } = scaledSize(bitmap.width, bitmap.height, maxSide);
	const canvas = document.createElement('canvas');
	canvas.width = width;
	canvas.height = height;
	const context = canvas.getContext('2d');
	if (!context) {
		bitmap.close();
		return file;
	}
	context.fillStyle = '#fff';
	context.fillRect(0, 0, width, height);
	context.drawImage(bitmap, 0, 0, width, height);
	bitmap.close();
	const blob = await new Promise<Blob | null>((resolve) =>
		canvas.toBlob(resolve, 'image/jpeg', quality)
	);
	return blob && blob.size < file.size ? blob : file;
}
