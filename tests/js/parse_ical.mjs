// Parse iCalendar objects with ical.js (Mozilla's parser, used by Thunderbird), independent
// of the Python icalendar library that wrote them. Reads a JSON list of iCalendar texts on
// stdin; prints, per object, its METHOD and the iTIP-relevant fields of every VEVENT.
import ICAL from "ical.js";

const texts = JSON.parse(await new Promise((resolve) => {
  let data = "";
  process.stdin.on("data", (chunk) => (data += chunk));
  process.stdin.on("end", () => resolve(data));
}));

const out = texts.map((text) => {
  const cal = new ICAL.Component(ICAL.parse(text));
  for (const tz of cal.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(new ICAL.Timezone(tz));
  }
  return {
    method: cal.getFirstPropertyValue("method"),
    version: cal.getFirstPropertyValue("version"),
    events: cal.getAllSubcomponents("vevent").map((vevent) => {
      const event = new ICAL.Event(vevent);
      const organizer = vevent.getFirstProperty("organizer");
      return {
        uid: event.uid,
        sequence: event.sequence,
        status: vevent.getFirstPropertyValue("status"),
        summary: event.summary,
        start: event.startDate.toJSDate().toISOString(),
        end: event.endDate.toJSDate().toISOString(),
        tzid: event.startDate.zone.tzid,
        dtstamp: vevent.getFirstPropertyValue("dtstamp") !== null,
        organizer: organizer ? organizer.getFirstValue() : null,
        location: vevent.getFirstPropertyValue("location"),
        attendees: vevent.getAllProperties("attendee").map((a) => ({
          address: a.getFirstValue(),
          partstat: a.getParameter("partstat") || null,
          rsvp: a.getParameter("rsvp") || null,
        })),
      };
    }),
  };
});
process.stdout.write(JSON.stringify(out));
