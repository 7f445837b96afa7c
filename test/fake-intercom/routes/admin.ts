// GET /me: the admin behind the token and its workspace (app.id_code, region, time zone).

import type { Route } from '../http';
import { findAdmin } from '../serialize';

export const adminRoutes: Route[] = [
	{
		method: 'GET',
		path: '/me',
		handler: (ctx) => {
			const ws = ctx.state.ws;
			const a = findAdmin(ctx, ws.admins[0].id);
			return {
				body: {
					type: 'admin',
					id: a.id,
					name: a.name,
					email: a.email,
					job_title: a.jobTitle,
					away_mode_enabled: false,
					away_mode_reassign: false,
					has_inbox_seat: true,
					team_ids: [],
					avatar: { type: 'avatar', image_url: null },
					email_verified: true,
					app: {
						type: 'app',
						id_code: ws.app.idCode,
						name: ws.app.name,
						region: ws.app.region,
						timezone: ws.timeZone,
						created_at: ws.app.createdAt,
						identity_verification: false,
					},
				},
			};
		},
	},
];
