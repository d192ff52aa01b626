import { ApiError } from '../api/errors';
import { PhotoError, photoStore, storePhoto, type PhotoStore, type StoredPhoto } from './photos';

/*
 * The handler's "after" photo goes through the same pipeline and photo store as residents' photos
 * (`photos.ts`): real type from the bytes, size and pixel caps, EXIF rotation and a clean JPEG.
 */

/** Checks, cleans and stores the photo; the pipeline's 413/415/400 come back as an ApiError. */
export async function storeAfterPhoto(
	input: Uint8Array,
	store: PhotoStore = photoStore(),
	now = new Date()
): Promise<StoredPhoto> {
	try {
		return await storePhoto(input, store, now);
	} catch (error) {
		if (error instanceof PhotoError)
			throw new ApiError(error.status, error.code, { photo: error.code });
		throw error;
	}
}

/** Removes a stored photo whose move failed, so no orphan file stays behind. */
export async function discardAfterPhoto(
	photo: StoredPhoto | undefined,
	store: PhotoStore = photoStore()
): Promise<void> {
	if (photo) await store.delete(photo.storageKey).catch(() => {});
}
