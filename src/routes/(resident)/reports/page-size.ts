export const PUBLIC_PAGE_SIZE = 20;
