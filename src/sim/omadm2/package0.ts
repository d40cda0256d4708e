/** DM 2.0 package 0: the proxy's codec (one definition of the layout, the option numbers and the digest). */
export {
  DM2_PACKAGE0_OPTION as PACKAGE0_OPTION, type Dm2Notification, decodeDm2Package0, dm2Package0Authentic, encodeDm2Package0, signDm2Package0,
} from '../../omadm/v20/trigger/package0.js';
