import sharp from 'sharp';

/** A real JPEG made by sharp, with a camera make, a rotation and a GPS position in its EXIF. */
export async function jpegWithGps(width = 640, height = 480): Promise<Buffer> {
	return sharp({
		create: { width, height, channels: 3, background: { r: 200, g: 60, b: 40 } }
	})
		.jpeg()
		.withMetadata({
			// Orientation 6: the camera was turned; the stored photo must come out upright (portrait).
			orientation: 6,
			exif: {
				IFD0: { Make: 'TestCam', Model: 'Phone 1' },
				// 31.856 N, 117.298 E: inside the demo 繁昌社区.
				IFD3: {
					GPSLatitudeRef: 'N',
					GPSLatitude: '31/1 51/1 2160/100',
					GPSLongitudeRef: 'E',
					GPSLongitude: '117/1 17/1 5280/100'
				}
			}
		})
		.toBuffer();
}

export async function plainPng(width = 32, height = 16): Promise<Buffer> {
	return sharp({ create: { width, height, channels: 4, background: '#3366ff80' } })
		.png()
		.toBuffer();
}
