import { ApiError } from '../api/errors';
import { newPhotoKey, PhotoError, photoStore, processPhoto, type PhotoStore } from './photos';

/*
 * The handler's "after" photo goes through the same pipeline and photo store as residents' photos
 * (`photos.ts`): real type from the bytes, size and pixel caps, EXIF rotation and a clean JPEG.
 */

export interface StoredPhoto {
	storageKey: string;
	contentType: string;
	width: number;
	height: number;
	bytes: number;
}

/** Checks, cleans and stores the photo; the pipeline's 413/415/400 come back as an ApiError. */
export async function storeAfterPhoto(
	input: Uint8Array,
	store: PhotoStore = photoStore(),
	now = new Date()
): Promise<StoredPhoto> {
	let photo;
	try {
		photo = await processPhoto(input);
	} catch (error) {
		if (error instanceof PhotoError)
			throw new ApiError(error.status, error.code, { photo: error.code });
		throw error;
	}
	const storageKey = newPhotoKey(now);
	await store.put(storageKey, photo.data, photo.contentType);
	return {
		storageKey,
		contentType: photo.contentType,
		width: photo.width,
		height: photo.height,
		bytes: photo.data.byteLength
	};
}

/** Removes a stored photo whose move failed, so no orphan file stays behind. */
export async function discardAfterPhoto(
	photo: StoredPhoto | undefined,
	store: PhotoStore = photoStore()
): Promise<void> {
	if (photo) await store.delete(photo.storageKey).catch(() => {});
}
