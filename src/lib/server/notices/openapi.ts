// The notices, shops and campaigns part of the OpenAPI document (see src/lib/server/api/openapi.ts).

export const noticesSchemas = {
	CampaignProgress: {
		type: 'object',
		properties: {
			shops: {
				type: 'integer'
			},
			inspected: {
				type: 'integer'
			},
			passed: {
				type: 'integer'
			},
			failed: {
				type: 'integer'
			},
			fixed: {
				type: 'integer'
			}
		}
	}
};

export const noticesPaths = {
	'/notices': {
		get: {
			summary: 'Published notices (文明宣传), pinned first, then newest',
			responses: {
				'200': {
					description: 'Notices inside their publish window',
					content: {
						'application/json': {
							schema: {
								type: 'array',
								items: {
									type: 'object',
									required: ['id', 'title', 'summary', 'publishedAt', 'pinned', 'url'],
									properties: {
										id: {
											type: 'string',
											format: 'uuid'
										},
										title: {
											type: 'string'
										},
										summary: {
											type: 'string',
											description: 'Plain text of the body, shortened'
										},
										publishedAt: {
											type: 'string',
											format: 'date-time'
										},
										pinned: {
											type: 'boolean'
										},
										url: {
											type: 'string',
											format: 'uri'
										},
										cover: {
											type: ['object', 'null'],
											description: 'The cover image (a re-encoded JPEG) and its alt text',
											properties: {
												url: { type: 'string', format: 'uri' },
												alt: { type: 'string' }
											}
										}
									}
								}
							}
						}
					}
				}
			}
		}
	},
	'/shops/{id}': {
		get: {
			summary:
				'A shop of the 门前三包 registry, as its duty card QR code names it (no owner details)',
			parameters: [
				{
					name: 'id',
					in: 'path',
					required: true,
					schema: {
						type: 'string',
						format: 'uuid'
					}
				}
			],
			responses: {
				'200': {
					description: 'The shop',
					content: {
						'application/json': {
							schema: {
								type: 'object',
								required: ['id', 'name', 'address'],
								properties: {
									id: {
										type: 'string',
										format: 'uuid'
									},
									name: {
										type: 'string'
									},
									address: {
										type: 'string'
									},
									lat: {
										type: ['number', 'null']
									},
									lng: {
										type: ['number', 'null']
									},
									community: {
										type: ['string', 'null'],
										description: 'community code'
									}
								}
							}
						}
					}
				},
				'404': {
					description: 'No such shop',
					content: {
						'application/json': {
							schema: {
								$ref: '#/components/schemas/Error'
							}
						}
					}
				}
			}
		}
	},
	'/staff/campaigns': {
		get: {
			summary: 'Inspection campaigns (集中查处) with their progress; 城管中队 staff and admins',
			security: [
				{
					session: []
				}
			],
			responses: {
				'200': {
					description: 'Campaigns, newest first',
					content: {
						'application/json': {
							schema: {
								type: 'array',
								items: {
									type: 'object',
									properties: {
										id: {
											type: 'string',
											format: 'uuid'
										},
										name: {
											type: 'string'
										},
										startsOn: {
											type: 'string',
											format: 'date'
										},
										endsOn: {
											type: 'string',
											format: 'date'
										},
										progress: {
											$ref: '#/components/schemas/CampaignProgress'
										}
									}
								}
							}
						}
					}
				},
				'401': {
					description: 'Not logged in',
					content: {
						'application/json': {
							schema: {
								$ref: '#/components/schemas/Error'
							}
						}
					}
				},
				'403': {
					description: 'Not 城管中队 staff or admin',
					content: {
						'application/json': {
							schema: {
								$ref: '#/components/schemas/Error'
							}
						}
					}
				}
			}
		}
	},
	'/staff/campaigns/{id}': {
		get: {
			summary: "A campaign's shops, their last results and the cases it opened",
			security: [
				{
					session: []
				}
			],
			parameters: [
				{
					name: 'id',
					in: 'path',
					required: true,
					schema: {
						type: 'string',
						format: 'uuid'
					}
				}
			],
			responses: {
				'200': {
					description: 'The campaign',
					content: {
						'application/json': {
							schema: {
								type: 'object',
								properties: {
									id: {
										type: 'string',
										format: 'uuid'
									},
									name: {
										type: 'string'
									},
									startsOn: {
										type: 'string',
										format: 'date'
									},
									endsOn: {
										type: 'string',
										format: 'date'
									},
									progress: {
										$ref: '#/components/schemas/CampaignProgress'
									},
									shops: {
										type: 'array',
										items: {
											type: 'object',
											properties: {
												id: {
													type: 'string',
													format: 'uuid'
												},
												name: {
													type: 'string'
												},
												address: {
													type: 'string'
												},
												community: {
													type: ['string', 'null']
												},
												dutyNotes: {
													type: 'object'
												},
												lastInspectedAt: {
													type: ['string', 'null'],
													format: 'date-time'
												},
												lastResults: {
													type: ['object', 'null']
												},
												fixed: {
													type: 'boolean'
												},
												cases: {
													type: 'array',
													items: {
														type: 'object',
														properties: {
															id: {
																type: 'string',
																format: 'uuid'
															},
															trackingCode: {
																type: 'string'
															},
															stage: {
																type: 'string'
															},
															department: {
																type: ['string', 'null']
															}
														}
													}
												}
											}
										}
									}
								}
							}
						}
					}
				},
				'401': {
					description: 'Not logged in',
					content: {
						'application/json': {
							schema: {
								$ref: '#/components/schemas/Error'
							}
						}
					}
				},
				'403': {
					description: 'Not 城管中队 staff or admin',
					content: {
						'application/json': {
							schema: {
								$ref: '#/components/schemas/Error'
							}
						}
					}
				},
				'404': {
					description: 'No such campaign',
					content: {
						'application/json': {
							schema: {
								$ref: '#/components/schemas/Error'
							}
						}
					}
				}
			}
		}
	},
	'/staff/campaigns/{id}/inspections': {
		post: {
			summary:
				'Record an inspection (from the offline outbox). A failed duty opens a case dispatched to 城管中队. clientId makes a replay harmless.',
			security: [
				{
					session: []
				}
			],
			parameters: [
				{
					name: 'id',
					in: 'path',
					required: true,
					schema: {
						type: 'string',
						format: 'uuid'
					}
				},
				{
					name: 'Idempotency-Key',
					in: 'header',
					required: true,
					schema: {
						type: 'string',
						format: 'uuid'
					}
				}
			],
			requestBody: {
				required: true,
				content: {
					'multipart/form-data': {
						schema: {
							type: 'object',
							required: ['clientId', 'shopId', 'inspectedAt', 'appearance', 'sanitation', 'order'],
							properties: {
								clientId: {
									type: 'string',
									format: 'uuid'
								},
								shopId: {
									type: 'string',
									format: 'uuid'
								},
								inspectedAt: {
									type: 'string',
									format: 'date-time'
								},
								appearance: {
									type: 'string',
									enum: ['pass', 'fail']
								},
								sanitation: {
									type: 'string',
									enum: ['pass', 'fail']
								},
								order: {
									type: 'string',
									enum: ['pass', 'fail']
								},
								note: {
									type: 'string'
								},
								photo: {
									type: 'string',
									format: 'binary',
									description: 'required when a duty fails'
								}
							}
						}
					}
				}
			},
			responses: {
				'200': {
					description: 'A replay of an inspection already recorded: the first answer',
					content: {
						'application/json': {
							schema: {
								type: 'object'
							}
						}
					}
				},
				'201': {
					description: 'Recorded',
					content: {
						'application/json': {
							schema: {
								type: 'object',
								properties: {
									id: {
										type: 'string',
										format: 'uuid'
									},
									case: {
										type: ['object', 'null'],
										properties: {
											id: {
												type: 'string'
											},
											trackingCode: {
												type: 'string'
											}
										}
									}
								}
							}
						}
					}
				},
				'400': {
					description: 'Invalid input, or a failure without a photo (campaign_photo_required)',
					content: {
						'application/json': {
							schema: {
								$ref: '#/components/schemas/Error'
							}
						}
					}
				},
				'401': {
					description: 'Not logged in',
					content: {
						'application/json': {
							schema: {
								$ref: '#/components/schemas/Error'
							}
						}
					}
				},
				'403': {
					description: 'Not 城管中队 staff or admin',
					content: {
						'application/json': {
							schema: {
								$ref: '#/components/schemas/Error'
							}
						}
					}
				},
				'404': {
					description: 'No such campaign, or the shop is not in it',
					content: {
						'application/json': {
							schema: {
								$ref: '#/components/schemas/Error'
							}
						}
					}
				},
				'409': {
					description: 'campaign_closed: the inspection day is outside the campaign',
					content: {
						'application/json': {
							schema: {
								$ref: '#/components/schemas/Error'
							}
						}
					}
				},
				'413': {
					description: 'Photo too large',
					content: {
						'application/json': {
							schema: {
								$ref: '#/components/schemas/Error'
							}
						}
					}
				},
				'415': {
					description: 'Not multipart, or the photo is not an image',
					content: {
						'application/json': {
							schema: {
								$ref: '#/components/schemas/Error'
							}
						}
					}
				},
				'422': {
					description: 'The Idempotency-Key or clientId was used for another payload',
					content: {
						'application/json': {
							schema: {
								$ref: '#/components/schemas/Error'
							}
						}
					}
				}
			}
		}
	}
};
