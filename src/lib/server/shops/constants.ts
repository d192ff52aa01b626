/** The department that keeps the shop registry and runs inspection campaigns (城管中队). */
export const SHOPS_DEPARTMENT = 'city-management';
